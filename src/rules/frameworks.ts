// Rule pack: frameworks (being written).
import type { Rule } from './rule.js';

export const frameworkRules: readonly Rule[] = [];
