#!/bin/sh
# As the official image does: a server started without a config file leaves protected mode, which would
# otherwise refuse every client but loopback (the container's network is the protection).
set -eu
if [ "${1:-}" = redis-server ] && ! echo "$*" | grep -q -- '--protected-mode'; then
  set -- "$@" --protected-mode no
fi
exec "$@"
