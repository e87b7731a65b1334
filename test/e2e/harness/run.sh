#!/usr/bin/env bash
# npm run test:e2e: ensures the e2e cache, builds and packages the extension, bundles the specs, runs them in
# real VS Code (code-server) with node 24. Extra arguments are passed to `node --test` (e.g. a single spec file).
set -euo pipefail
cd "$(dirname "$0")/../../.."
E2E_CACHE="$(bash test/e2e/harness/setup.sh)"
export E2E_CACHE
NODE24="$E2E_CACHE/node24/node_modules/node/bin/node"
node esbuild.mjs --e2e
"$E2E_CACHE/pw/node_modules/.bin/vsce" package --no-rewrite-relative-links --no-dependencies --allow-missing-repository --skip-license -o dist/agent-guardrails.vsix >/dev/null
mkdir -p test-results/e2e
if [ "$#" -gt 0 ]; then specs=("$@"); else rm -rf test-results/e2e/*; specs=(out/test/e2e/*.spec.js); fi
"$NODE24" --test --test-concurrency=1 --test-reporter=spec "${specs[@]}"
