#!/usr/bin/env bash
# Installs what is missing, builds the app and serves it with the classroom lab ready; vite preview
# also relays /api/ on localhost to the open tab (scripts/server/vite-api-relay.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npx vite build --logLevel warn
PORT="${PORT:-4173}"
echo "› DFW Lab is at http://localhost:${PORT}/"
echo "› with the app open, its NSX API answers the terminal: curl -u admin:default http://localhost:${PORT}/api/4.0/firewall/globalroot-0/config"
exec npx vite preview --host 127.0.0.1 --port "$PORT" --strictPort
