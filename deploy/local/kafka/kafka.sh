#!/usr/bin/env bash
# Kafka (KRaft) for local development, run from the Apache jars on Maven Central (no Docker): one node
# on 127.0.0.1:9092, or with KAFKA_NODES=3 a cluster of three (each broker and controller) on
# 127.0.0.1:19092, 19094 and 19096, whose topics are replicated three times with two in sync required.
#
#   kafka.sh fetch      download the jars once into .cache/kafka/<version>/lib
#   kafka.sh format     format the data dirs (skipped when already formatted)
#   kafka.sh start      start the nodes not running, in the background
#   kafka.sh wait       block until the cluster answers a metadata request with every node
#   kafka.sh stop       SIGTERM, wait for exit (SIGKILL after 30 s)
#   kafka.sh status     print running/stopped (exit 0 when every node runs, 3 otherwise)
#   kafka.sh reset      stop and wipe the data dirs
#   kafka.sh kill9 <n>  SIGKILL node n, as a crash would (fault drills); `start` brings it back
#   kafka.sh brokers    print the bootstrap list (KAFKA_BROKERS)
#
# Env: KAFKA_NODES (1 or 3, default 1), KAFKA_HEAP (max heap per node, default 512m, at least 256m),
# KAFKA_WAIT_TIMEOUT (seconds, default 90).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"

KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")"
LIB="$ROOT/.cache/kafka/$KAFKA_VERSION/lib"
FETCH_MARKER="$ROOT/.cache/kafka/$KAFKA_VERSION/fetched"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
KAFKA_NODES="${KAFKA_NODES:-1}"

say() { echo "kafka: $*"; }
die() { echo "kafka: ERROR: $*" >&2; exit 1; }

# The single node keeps the paths and ports it always had; the cluster's are apart, so both can run.
case "$KAFKA_NODES" in
  1) STATE_ROOT="$ROOT/.local/kafka" BASE_PORT=9092 ;;
  3) STATE_ROOT="$ROOT/.local/kafka-cluster" BASE_PORT=19092 ;;
  *) die "KAFKA_NODES must be 1 or 3, not $KAFKA_NODES" ;;
esac
NODES=($(seq 1 "$KAFKA_NODES"))
CLUSTER_ID_FILE="$STATE_ROOT/cluster-id"

node_state() { if [[ $KAFKA_NODES == 1 ]]; then echo "$STATE_ROOT"; else echo "$STATE_ROOT/node-$1"; fi; }
data_dir() { echo "$(node_state "$1")/data"; }
logs_dir() { echo "$(node_state "$1")/logs"; }
props_file() { echo "$(node_state "$1")/server.properties"; }
pid_file() { echo "$(node_state "$1")/kafka.pid"; }
client_port() { echo $((BASE_PORT + 2 * ($1 - 1))); }
controller_port() { echo $((BASE_PORT + 2 * ($1 - 1) + 1)); }
brokers() {
  local n list=()
  for n in "${NODES[@]}"; do list+=("127.0.0.1:$(client_port "$n")"); done
  (IFS=,; echo "${list[*]}")
}
quorum_voters() {
  local n list=()
  for n in "${NODES[@]}"; do list+=("$n@127.0.0.1:$(controller_port "$n")"); done
  (IFS=,; echo "${list[*]}")
}

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

# server.properties with this node's identity appended (a later key wins). Kafka resolves a relative
# log.dirs against its working directory, so write an absolute one.
write_props() {
  local n="$1"
  mkdir -p "$(data_dir "$n")" "$(logs_dir "$n")"
  {
    cat "$HERE/server.properties"
    echo
    echo "log.dirs=$(data_dir "$n")"
    if [[ $KAFKA_NODES != 1 ]]; then
      echo "node.id=$n"
      echo "controller.quorum.voters=$(quorum_voters)"
      echo "listeners=PLAINTEXT://127.0.0.1:$(client_port "$n"),CONTROLLER://127.0.0.1:$(controller_port "$n")"
      echo "advertised.listeners=PLAINTEXT://127.0.0.1:$(client_port "$n")"
      # A cluster that survives one broker: three copies, two of them in sync for a write to count.
      echo "default.replication.factor=3"
      echo "min.insync.replicas=2"
      echo "offsets.topic.replication.factor=3"
      echo "transaction.state.log.replication.factor=3"
      echo "transaction.state.log.min.isr=2"
      echo "share.coordinator.state.topic.replication.factor=3"
      echo "share.coordinator.state.topic.min.isr=2"
    fi
  } >"$(props_file "$n")"
}

JAVA_COMMON=(-Dlog4j2.configurationFile="$HERE/log4j2.properties" -Djava.awt.headless=true -cp "$LIB/*")

# Every node of a cluster is formatted with the same cluster id, kept beside them.
format() {
  require_java
  require_jars
  local n cluster_id
  for n in "${NODES[@]}"; do
    write_props "$n"
    if [[ -f "$(data_dir "$n")/meta.properties" ]]; then
      say "storage already formatted ($(data_dir "$n" | sed "s:^$ROOT/::"))"
      continue
    fi
    if [[ ! -f "$CLUSTER_ID_FILE" ]]; then
      mkdir -p "$STATE_ROOT"
      java -Xmx256m "${JAVA_COMMON[@]}" kafka.tools.StorageTool random-uuid >"$CLUSTER_ID_FILE"
    fi
    cluster_id="$(cat "$CLUSTER_ID_FILE")"
    say "formatting storage of node $n, cluster id $cluster_id"
    java -Xmx256m "${JAVA_COMMON[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$(props_file "$n")" >/dev/null
  done
}

# A pid file can outlive its process (reboot, kill -9) and the pid can be reused: check it is our broker.
# Zombies count as gone: PID 1 in a container does not always reap them.
running_pid() {
  local file
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 1
  local pid
  pid="$(cat "$file")"
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' || return 1
  [[ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f1)" != Z ]] || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local n
  for n in "${NODES[@]}"; do start_node "$n"; done
}

start_node() {
  local n="$1" pid port cport logs
  port="$(client_port "$n")" cport="$(controller_port "$n")" logs="$(logs_dir "$n")"
  if pid="$(running_pid "$n")"; then
    say "node $n already running (pid $pid)"
    return
  fi
  rm -f "$(pid_file "$n")"
  # Like PostgreSQL and Redis: a single broker that already answers (another checkout's) is used as it is.
  if [[ $KAFKA_NODES == 1 ]] && port_open "$port" && KAFKA_WAIT_TIMEOUT=5 wait_ready >/dev/null 2>&1; then
    say "a broker not started from this checkout already answers on 127.0.0.1:$port: using it"
    return
  fi
  if port_open "$port" || port_open "$cport"; then
    die "port $port or $cport is already in use by another process (another Kafka? check: ss -ltnp | grep $port)"
  fi
  require_java
  require_jars
  [[ -f "$(data_dir "$n")/meta.properties" ]] || format
  write_props "$n"
  say "starting node $n on 127.0.0.1:$port (heap $KAFKA_HEAP), log: ${logs#"$ROOT"/}/server.log"
  # setsid: the broker must survive the shell (and Ctrl-C) that started it.
  setsid java -Xmx"$KAFKA_HEAP" -Xms256m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Dkafka.logs.dir="$logs" "${JAVA_COMMON[@]}" kafka.Kafka "$(props_file "$n")" >>"$logs/console.out" 2>&1 </dev/null &
  echo $! >"$(pid_file "$n")"
  sleep 0.5
  pid="$(running_pid "$n")" || { tail -n 20 "$logs/console.out" >&2; die "node $n exited right after start (see above)"; }
  say "started node $n (pid $pid)"
}

wait_ready() {
  command -v node >/dev/null || die "node not found (needed for the readiness check)"
  [[ -d "$ROOT/node_modules/kafkajs" ]] || die "node_modules/kafkajs missing: run 'npm ci' in $ROOT first"
  local n pid args=()
  for n in "${NODES[@]}"; do
    if pid="$(running_pid "$n")"; then args+=(--pid "$pid"); fi
    args+=(--log "$(logs_dir "$n")/server.log" --log "$(logs_dir "$n")/console.out")
  done
  KAFKA_BROKERS="$(brokers)" node "$HERE/wait-ready.js" --timeout "${KAFKA_WAIT_TIMEOUT:-90}" \
    --nodes "$KAFKA_NODES" "${args[@]}"
}

stop() {
  local n
  for n in "${NODES[@]}"; do stop_node "$n"; done
}

stop_node() {
  local n="$1" pid
  if ! pid="$(running_pid "$n")"; then
    rm -f "$(pid_file "$n")"
    say "node $n not running"
    return
  fi
  say "stopping node $n, pid $pid..."
  kill -TERM "$pid"
  local i
  for ((i = 0; i < 60; i++)); do
    running_pid "$n" >/dev/null || break
    sleep 0.5
  done
  if running_pid "$n" >/dev/null; then
    say "still alive after 30 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$(pid_file "$n")"
  say "stopped node $n"
}

kill9() {
  local n="${1:-}" pid
  [[ " ${NODES[*]} " == *" $n "* ]] || die "kill9: a node number from 1 to $KAFKA_NODES, not '$n'"
  pid="$(running_pid "$n")" || die "node $n is not running"
  kill -KILL "$pid"
  while running_pid "$n" >/dev/null; do sleep 0.1; done
  say "killed node $n (pid $pid) with SIGKILL"
}

status() {
  local n pid states=() down=0
  for n in "${NODES[@]}"; do
    if pid="$(running_pid "$n")"; then
      states+=("running, pid $pid")
    else
      states+=("stopped")
      down=1
    fi
  done
  if [[ $KAFKA_NODES == 1 ]]; then echo "${states[0]}"; else
    local described=()
    for n in "${NODES[@]}"; do described+=("node $n ${states[$((n - 1))]}"); done
    (IFS=';'; echo "${described[*]}" | sed 's/;/; /g')
  fi
  [[ $down == 0 ]] || return 3
}

reset() {
  stop
  rm -rf "$STATE_ROOT"
  say "data wiped (${STATE_ROOT#"$ROOT"/})"
}

case "${1:-}" in
  fetch) fetch ;;
  format) format ;;
  start) start ;;
  wait) wait_ready ;;
  stop) stop ;;
  status) status ;;
  reset) reset ;;
  kill9) kill9 "${2:-}" ;;
  brokers) brokers ;;
  *)
    echo "usage: $0 <fetch|format|start|wait|stop|status|reset|kill9 <node>|brokers>" >&2
    exit 2
    ;;
esac
