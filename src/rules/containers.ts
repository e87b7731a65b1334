// Rule pack: containers (being written).
import type { Rule } from './rule.js';

export const containerRules: readonly Rule[] = [];
