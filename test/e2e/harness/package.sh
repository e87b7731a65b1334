#!/usr/bin/env bash
# npm run package: a production build packaged as dist/agent-guardrails.vsix, with vsce from the e2e cache
# (@vscode/vsce is installed there by setup.sh rather than as a project dependency: it is large and needs no build step here).
set -euo pipefail
cd "$(dirname "$0")/../../.."
E2E_CACHE="$(bash test/e2e/harness/setup.sh)"
node esbuild.mjs --production
"$E2E_CACHE/pw/node_modules/.bin/vsce" package --no-rewrite-relative-links --no-dependencies --allow-missing-repository -o dist/agent-guardrails.vsix
