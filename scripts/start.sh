#!/usr/bin/env bash
# Installs what is missing, builds the app and serves it with the classroom lab ready.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npx vite build --logLevel warn
PORT="${PORT:-4173}"
echo "› DFW Lab is at http://localhost:${PORT}/"
exec npx vite preview --host 127.0.0.1 --port "$PORT" --strictPort
