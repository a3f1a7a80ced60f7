#!/usr/bin/env bash
# Installs what a fresh clone lacks: node modules (from the lock file) and, for browser tests, Debian's Chromium and curl.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "› installing node modules (npm install, from the lock file)"
  npm install --no-audit --no-fund
fi

# Debian packages the end-to-end tests need: chromium, and curl (the terminal's API test runs the system's curl).
missing=()
if [ "${1:-}" = "--browser" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v curl >/dev/null || missing+=(curl)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "› installing Debian's ${missing[*]} for the end-to-end tests"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
