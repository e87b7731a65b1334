// The policies that apply when a workspace has no policy file, or when its file cannot be used.
import type { Policy } from './schema.js';

export const DEFAULT_CONFIRMATION_TIMEOUT_SECONDS = 120;

/** No policy file: the workspace is unmarked; the built-in rules still apply. */
export const UNMARKED_POLICY: Policy = {
  environment: 'unmarked',
  tier: 'unmarked',
  environments: {},
  allow: [],
  confirm: [],
  block: [],
  protectedPaths: [],
  typedConfirmation: 'environment',
  alwaysTyped: false,
  timeoutSeconds: DEFAULT_CONFIRMATION_TIMEOUT_SECONDS,
  source: 'built-in (no policy file)',
};

/**
 * A policy file that cannot be read or is invalid never means "no rules": the workspace is treated as production
 * (every destructive command needs a typed confirmation) and no allow entry applies, until the file is fixed.
 */
export function strictFallbackPolicy(reason: string): Policy {
  return {
    ...UNMARKED_POLICY,
    environment: 'production',
    tier: 'production',
    alwaysTyped: true,
    source: `built-in strict defaults (${reason})`,
    fallbackReason: reason,
  };
}
