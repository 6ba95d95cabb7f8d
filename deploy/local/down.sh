#!/usr/bin/env bash
# Stops what up.sh started: the simulator and services, then Kafka. `--wipe` deletes Kafka's data.
set -Eeuo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=procs.sh
source deploy/local/procs.sh

echo "==> stopping background processes"
for pidfile in "$PIDS"/*.pid; do
  [[ -e "$pidfile" ]] || continue
  proc_stop "$(basename "$pidfile" .pid)"
done
bash deploy/local/stack.sh down "$@"
