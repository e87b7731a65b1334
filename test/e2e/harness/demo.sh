#!/usr/bin/env bash
# npm run demo: the same setup as the e2e tests, then code-server on the sample staging workspace.
set -euo pipefail
cd "$(dirname "$0")/../../.."
E2E_CACHE="$(bash test/e2e/harness/setup.sh)"
export E2E_CACHE
node esbuild.mjs --e2e
"$E2E_CACHE/pw/node_modules/.bin/vsce" package --no-rewrite-relative-links --no-dependencies --allow-missing-repository --skip-license -o dist/agent-guardrails.vsix >/dev/null
exec "$E2E_CACHE/node24/node_modules/node/bin/node" out/test/e2e/harness/demo.js
