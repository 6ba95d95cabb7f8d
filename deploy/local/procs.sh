#!/usr/bin/env bash
# Background processes of the local system (services, simulator): start once, stop by pid.
# Sourced by up.sh and down.sh.
PROCS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PIDS="$PROCS_ROOT/.local/pids"
LOGS="$PROCS_ROOT/.local/logs"
mkdir -p "$PIDS" "$LOGS"

# A killed process stays a zombie until its parent reaps it (PID 1 in a container may never do so),
# and kill -0 still succeeds on a zombie: count it as gone, as kafka.sh does.
pid_alive() {
  kill -0 "$1" 2>/dev/null && [[ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]]
}

proc_running() {
  local pidfile="$PIDS/$1.pid"
  [[ -f "$pidfile" ]] && pid_alive "$(cat "$pidfile")"
}

# proc_start NAME COMMAND...: runs detached with its output in .local/logs/NAME.log.
proc_start() {
  local name="$1"
  shift
  if proc_running "$name"; then
    echo "    $name already running (pid $(cat "$PIDS/$name.pid"))"
    return 0
  fi
  # exec: the recorded pid is the process itself, and nothing keeps the caller's stdout open.
  (cd "$PROCS_ROOT" && exec setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null) &
  echo $! >"$PIDS/$name.pid"
  echo "    $name started (pid $(cat "$PIDS/$name.pid")), log: .local/logs/$name.log"
}

proc_stop() {
  local name="$1" pidfile="$PIDS/$1.pid" pid i
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if pid_alive "$pid"; then
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do
      pid_alive "$pid" || break
      sleep 0.2
    done
    pid_alive "$pid" && kill -KILL "$pid"
    echo "    $name stopped"
  fi
  rm -f "$pidfile"
}

# wait_http NAME URL TIMEOUT_S: until URL answers 2xx; on timeout, the end of NAME's log and exit 1.
wait_http() {
  local name="$1" url="$2" timeout="$3" i
  for ((i = 0; i < timeout * 2; i++)); do
    if node -e "fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$url"; then
      echo "    $name ready ($url)"
      return 0
    fi
    proc_running "$name" || break
    sleep 0.5
  done
  echo "    $name did not become ready; the end of .local/logs/$name.log:" >&2
  tail -n 30 "$LOGS/$name.log" >&2
  return 1
}
