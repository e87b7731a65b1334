// Rule pack: publishing (being written).
import type { Rule } from './rule.js';

export const publishingRules: readonly Rule[] = [];
