#!/usr/bin/env bash
# Every check, in the order that fails fastest: types, lint, unit/integration/property, build, end-to-end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser

step() { printf '\n\033[1m› %s\033[0m\n' "$1"; }
step "type check (svelte-check)"
npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --output machine | tail -n 5
step "lint (eslint)"
npx eslint --max-warnings 0 .
step "unit, integration and property tests (vitest)"
npx vitest run
step "build"
npx vite build --logLevel warn
step "end-to-end tests (playwright, Debian chromium)"
npx playwright test
