#!/usr/bin/env bash
# Every check: types and lint side by side, then unit/integration/property, the build, end-to-end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser

step() { printf '\n\033[1m› %s\033[0m\n' "$1"; }

# The type check and lint each keep one core busy and only read the sources: on a 2-core runner
# they overlap. Each one's output is printed whole, in this order. The build stays alone: its
# settled-classroom step boots the lab inside vite's module runner, whose 60 s deadline a build
# beside both checks missed on the loaded machine.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
checks=("type check (svelte-check)" "lint (eslint)")
( npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --output machine | tail -n 5 ) >"$logs/0" 2>&1 &
pids=($!)
npx eslint --max-warnings 0 . >"$logs/1" 2>&1 &
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
step "build"
npx vite build --logLevel warn
step "end-to-end tests (playwright, Debian chromium)"
npx playwright test
