#!/usr/bin/env bash
# Single-node Kafka (KRaft) for local development, run from the Apache jars on Maven Central (no Docker).
#
#   kafka.sh fetch    download the jars once into .cache/kafka/<version>/lib
#   kafka.sh format   format the data dir (skipped when already formatted)
#   kafka.sh start    start the broker in the background (no-op when running)
#   kafka.sh wait     block until the broker answers a metadata request
#   kafka.sh stop     SIGTERM, wait for exit (SIGKILL after 30 s)
#   kafka.sh status   print running/stopped (exit 0 when running, 3 when stopped)
#   kafka.sh reset    stop and wipe the data dir
#
# Env: KAFKA_HEAP (max heap, default 512m, at least 256m), KAFKA_WAIT_TIMEOUT (seconds, default 90).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"

KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")"
LIB="$ROOT/.cache/kafka/$KAFKA_VERSION/lib"
FETCH_MARKER="$ROOT/.cache/kafka/$KAFKA_VERSION/fetched"
STATE="$ROOT/.local/kafka"
DATA="$STATE/data"
LOGS="$STATE/logs"
PROPS="$STATE/server.properties"
PID_FILE="$STATE/kafka.pid"
BROKER="127.0.0.1:9092"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"

say() { echo "kafka: $*"; }
die() { echo "kafka: ERROR: $*" >&2; exit 1; }

require_java() {
  command -v java >/dev/null || die "java not found. Install Java 17 or newer (Debian: apt-get install -y openjdk-17-jre-headless)."
  local major
  major="$(java -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')"
  [[ "${major:-0}" -ge 17 ]] || die "Kafka $KAFKA_VERSION needs Java 17 or newer, found: $(java -version 2>&1 | head -n1)"
}

# The marker holds the pom's checksum, so editing the pom (e.g. a version bump) triggers a new fetch.
pom_sum() { sha256sum "$HERE/pom.xml" | cut -d' ' -f1; }
fetched() { [[ -f "$FETCH_MARKER" && "$(cat "$FETCH_MARKER")" == "$(pom_sum)" ]]; }

fetch() {
  if fetched; then
    say "jars $KAFKA_VERSION cached in ${LIB#"$ROOT"/}"
    return
  fi
  require_java
  command -v mvn >/dev/null || die "mvn not found. Install Maven (Debian: apt-get install -y maven)."
  say "downloading Kafka $KAFKA_VERSION jars from Maven Central into ${LIB#"$ROOT"/} (once, ~45 MB)..."
  rm -rf "$LIB" "$FETCH_MARKER"
  # Maven prints errors on stdout, mixed with colour codes: keep its output for the failure case only.
  local out
  if ! out="$(mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIB" 2>&1)"; then
    echo "$out" >&2
    die "Maven could not download the Kafka jars (is Maven Central reachable?)"
  fi
  pom_sum >"$FETCH_MARKER"
  say "fetched $(find "$LIB" -name '*.jar' | wc -l) jars ($(du -sh "$LIB" | cut -f1))"
}

require_jars() { fetched || die "jars missing: run '$0 fetch' first"; }

# Kafka resolves a relative log.dirs against its working directory, so write an absolute one.
write_props() {
  mkdir -p "$DATA" "$LOGS"
  { cat "$HERE/server.properties"; echo; echo "log.dirs=$DATA"; } >"$PROPS"
}

JAVA_COMMON=(-Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dkafka.logs.dir="$LOGS"
  -Djava.awt.headless=true -cp "$LIB/*")

format() {
  require_java
  require_jars
  write_props
  if [[ -f "$DATA/meta.properties" ]]; then
    say "storage already formatted (${DATA#"$ROOT"/})"
    return
  fi
  local cluster_id
  cluster_id="$(java -Xmx256m "${JAVA_COMMON[@]}" kafka.tools.StorageTool random-uuid)"
  say "formatting storage, cluster id $cluster_id"
  java -Xmx256m "${JAVA_COMMON[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPS" >/dev/null
}

# A pid file can outlive its process (reboot, kill -9) and the pid can be reused: check it is our broker.
# Zombies count as gone: PID 1 in a container does not always reap them.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' || return 1
  [[ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f1)" != Z ]] || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local pid
  if pid="$(running_pid)"; then
    say "already running (pid $pid)"
    return
  fi
  rm -f "$PID_FILE"
  # Like PostgreSQL and Redis: a broker that already answers (another checkout's) is used as it is.
  if port_open 9092 && KAFKA_WAIT_TIMEOUT=5 wait_ready >/dev/null 2>&1; then
    say "a broker not started from this checkout already answers on $BROKER: using it"
    return
  fi
  if port_open 9092 || port_open 9093; then
    die "port 9092 or 9093 is already in use by another process (another Kafka? check: ss -ltnp | grep 909)"
  fi
  require_java
  require_jars
  [[ -f "$DATA/meta.properties" ]] || format
  write_props
  say "starting broker (heap $KAFKA_HEAP), log: ${LOGS#"$ROOT"/}/server.log"
  # setsid: the broker must survive the shell (and Ctrl-C) that started it.
  setsid java -Xmx"$KAFKA_HEAP" -Xms256m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    "${JAVA_COMMON[@]}" kafka.Kafka "$PROPS" >>"$LOGS/console.out" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  sleep 0.5
  pid="$(running_pid)" || { tail -n 20 "$LOGS/console.out" >&2; die "broker exited right after start (see above)"; }
  say "started (pid $pid)"
}

wait_ready() {
  command -v node >/dev/null || die "node not found (needed for the readiness check)"
  [[ -d "$ROOT/node_modules/kafkajs" ]] || die "node_modules/kafkajs missing: run 'npm ci' in $ROOT first"
  local pid pid_args=()
  if pid="$(running_pid)"; then pid_args=(--pid "$pid"); fi
  KAFKA_BROKERS="$BROKER" node "$HERE/wait-ready.js" --timeout "${KAFKA_WAIT_TIMEOUT:-90}" \
    --log "$LOGS/server.log" --log "$LOGS/console.out" "${pid_args[@]}"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    say "not running"
    return
  fi
  say "stopping pid $pid..."
  kill -TERM "$pid"
  local i
  for ((i = 0; i < 60; i++)); do
    running_pid >/dev/null || break
    sleep 0.5
  done
  if running_pid >/dev/null; then
    say "still alive after 30 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$PID_FILE"
  say "stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running, pid $pid"
  else
    echo "stopped"
    return 3
  fi
}

reset() {
  stop
  rm -rf "$DATA"
  say "data wiped (${DATA#"$ROOT"/})"
}

case "${1:-}" in
  fetch) fetch ;;
  format) format ;;
  start) start ;;
  wait) wait_ready ;;
  stop) stop ;;
  status) status ;;
  reset) reset ;;
  *)
    echo "usage: $0 <fetch|format|start|wait|stop|status|reset>" >&2
    exit 2
    ;;
esac
