// Rule pack: remote (being written).
import type { Rule } from './rule.js';

export const remoteRules: readonly Rule[] = [];
