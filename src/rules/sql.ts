// Rule pack: sql (being written).
import type { Rule } from './rule.js';

export const sqlRules: readonly Rule[] = [];
