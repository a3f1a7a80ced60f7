#!/usr/bin/env bash
# Every check: types, lint and the build side by side, then unit/integration/property, then end-to-end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser

step() { printf '\n\033[1m› %s\033[0m\n' "$1"; }

# Type check, lint and build each keep one core busy and write nothing the others read (the build
# writes dist/, which eslint ignores and svelte-check does not include): on a 2-core runner they
# overlap, ~1.5 min less than one after another. Each one's output is printed whole, in this order.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
checks=("type check (svelte-check)" "lint (eslint)" "build")
( npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --output machine | tail -n 5 ) >"$logs/0" 2>&1 &
pids=($!)
npx eslint --max-warnings 0 . >"$logs/1" 2>&1 &
pids+=($!)
npx vite build --logLevel warn >"$logs/2" 2>&1 &
pids+=($!)
started=$SECONDS
failed=0
for i in "${!checks[@]}"; do
  status=0
  wait "${pids[$i]}" || status=$?
  step "${checks[$i]} (done by $((SECONDS - started)) s)"
  cat "$logs/$i"
  if [ "$status" -ne 0 ]; then
    echo "✗ ${checks[$i]} failed (exit $status)"
    failed=1
  fi
done
[ "$failed" -eq 0 ] || exit 1

step "unit, integration and property tests (vitest)"
npx vitest run
step "end-to-end tests (playwright, Debian chromium)"
npx playwright test
