// Rule pack: http (being written).
import type { Rule } from './rule.js';

export const httpRules: readonly Rule[] = [];
