#!/usr/bin/env bash
# Installs (once) everything the e2e suite needs into a cache OUTSIDE the repo:
#   node 24 (npm package `node`), code-server (npm), playwright-core + @vscode/vsce (npm), Debian chromium (apt).
# Idempotent: a second run with a warm cache takes well under a second. Prints the cache path last.
set -euo pipefail
E2E_CACHE="${E2E_CACHE:-$HOME/.cache/agent-guardrails-e2e}"
NODE24_VERSION="${NODE24_VERSION:-24}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
PLAYWRIGHT_VERSION="${PLAYWRIGHT_VERSION:-1.65.1}"
VSCE_VERSION="${VSCE_VERSION:-4.1.0}"
mkdir -p "$E2E_CACHE"

log() { printf '[e2e-setup] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

# 1. System packages: chromium (driven by playwright-core) and libkrb5-dev (code-server's kerberos module).
if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  log "apt: installing chromium libkrb5-dev"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi

# 2. Node 24 from the npm registry (code-server 4.139 needs engines.node 24; the system node may be older).
NODE24="$E2E_CACHE/node24/node_modules/node/bin/node"
if [ ! -x "$NODE24" ]; then
  log "npm: node@$NODE24_VERSION"
  mkdir -p "$E2E_CACHE/node24"
  echo '{"name":"e2e-node24","version":"1.0.0","private":true,"allowScripts":{"node":true}}' > "$E2E_CACHE/node24/package.json"
  (cd "$E2E_CACHE/node24" && npm install --no-audit --no-fund --loglevel=error "node@$NODE24_VERSION")
fi
export PATH="$(dirname "$NODE24"):$PATH"

# 3. code-server (its postinstall runs npm with the node first on PATH, so node 24 must be there).
CS_ENTRY="$E2E_CACHE/cs/node_modules/code-server/out/node/entry.js"
if [ ! -f "$E2E_CACHE/cs/.complete-$CODE_SERVER_VERSION" ]; then
  log "npm: code-server@$CODE_SERVER_VERSION (takes ~2 minutes the first time)"
  mkdir -p "$E2E_CACHE/cs"
  echo '{"name":"e2e-cs","version":"1.0.0","private":true,"allowScripts":{"code-server":true,"argon2":true}}' > "$E2E_CACHE/cs/package.json"
  (cd "$E2E_CACHE/cs" && npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
  "$NODE24" "$CS_ENTRY" --version >/dev/null
  touch "$E2E_CACHE/cs/.complete-$CODE_SERVER_VERSION"
fi

# 4. The browser driver and the packager.
if [ ! -f "$E2E_CACHE/pw/.complete-$PLAYWRIGHT_VERSION-$VSCE_VERSION" ]; then
  log "npm: playwright-core@$PLAYWRIGHT_VERSION @vscode/vsce@$VSCE_VERSION"
  mkdir -p "$E2E_CACHE/pw"
  echo '{"name":"e2e-pw","version":"1.0.0","private":true}' > "$E2E_CACHE/pw/package.json"
  (cd "$E2E_CACHE/pw" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error \
    "playwright-core@$PLAYWRIGHT_VERSION" "@vscode/vsce@$VSCE_VERSION")
  touch "$E2E_CACHE/pw/.complete-$PLAYWRIGHT_VERSION-$VSCE_VERSION"
fi
echo "$E2E_CACHE"
