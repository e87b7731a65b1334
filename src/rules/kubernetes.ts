// Rule pack: kubernetes (being written).
import type { Rule } from './rule.js';

export const kubernetesRules: readonly Rule[] = [];
