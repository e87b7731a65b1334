// Rule pack: cloud (being written).
import type { Rule } from './rule.js';

export const cloudRules: readonly Rule[] = [];
