#!/usr/bin/env bash
# Run a command with the network cut: a fresh network namespace with only loopback up.
# Used by `make test`, so every test (the browser ones included) proves the app needs no network.
set -euo pipefail
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && unshare -n true 2>/dev/null; then
  exec unshare -n bash -c 'ip link set lo up 2>/dev/null || true; exec "$@"' offline "$@"
fi
echo "offline.sh: cannot cut the network here (needs root and unshare); running with the network" >&2
exec "$@"
