// Rule pack: terraform (being written).
import type { Rule } from './rule.js';

export const terraformRules: readonly Rule[] = [];
