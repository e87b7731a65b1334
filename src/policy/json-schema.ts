// The JSON schema of the policy file, generated from the zod schema at build time (contributed via jsonValidation).
import { z } from 'zod';
import { policySchema } from './schema.js';

export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(policySchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return { ...schema, title: 'Agent Guardrails policy (.vscode/guardrails.json)', allowTrailingCommas: true, allowComments: true };
}
