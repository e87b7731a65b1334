#!/usr/bin/env bash
# Copies the README's screenshots from the last e2e run (test-results/e2e) to media/screenshots.
set -euo pipefail
cd "$(dirname "$0")/../../.."
mkdir -p media/screenshots
for name in status-development status-staging status-production status-unmarked unmarked-notice status-menu workbench-production confirm-step1 confirm-typed \
            tamper-approval-modal tamper-still-blocked malformed-problems audit-view multi-root-tooltip wizard-policy-file \
            task-confirm file-readonly-delete file-confirm-explorer restore-conflict credentials-problems credentials-terminal \
            terminal-hook-confirm terminal-hook-blocked terminal-bypass-modal; do
  cp "test-results/e2e/$name.png" "media/screenshots/$name.png"
done
ls media/screenshots
