// Rule pack: system (being written).
import type { Rule } from './rule.js';

export const systemRules: readonly Rule[] = [];
