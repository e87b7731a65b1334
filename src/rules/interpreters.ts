// Rule pack: interpreters (being written).
import type { Rule } from './rule.js';

export const interpreterRules: readonly Rule[] = [];
