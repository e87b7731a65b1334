// Rule pack: platform (being written).
import type { Rule } from './rule.js';

export const platformRules: readonly Rule[] = [];
