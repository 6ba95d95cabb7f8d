#!/usr/bin/env bash
# The local stack in one command: PostgreSQL, Redis and Kafka, without Docker.
#
#   stack.sh up [--brokers 3]             make all three reachable (idempotent; installs Postgres/Redis
#                                         from Debian only when nothing answers on their ports)
#   stack.sh down [--brokers 3] [--wipe]  stop Kafka (--wipe also deletes its data); Postgres and Redis
#                                         are shared machine services and stay up
#   stack.sh status [--brokers 3]         reachability of each service; exit 1 if any is down
#
# Addresses are fixed: Postgres 127.0.0.1:5432 (database crm, user postgres, trust auth),
# Redis 127.0.0.1:6379, Kafka 127.0.0.1:9092; with --brokers 3 a three-broker Kafka cluster on
# 127.0.0.1:19092,19094,19096 instead (replication factor 3, two in sync), beside the single broker:
# run a service or test on it with KAFKA_BROKERS set to that list. (With Docker, use docker-compose.yml.)
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA="$HERE/kafka/kafka.sh"
PG_HOST=127.0.0.1
PG_PORT=5432
PG_DB=crm
REDIS_PORT=6379

STEP="start"
trap 'echo "stack: FAILED during: $STEP" >&2' ERR

step() {
  STEP="$*"
  echo "==> $*"
}
say() { echo "    $*"; }
die() {
  echo "stack: ERROR: $*" >&2
  exit 1
}

# apt-get needs root; fall back to sudo, and refresh the package index at most once per run.
# Another apt process (unattended-upgrades, a second checkout) may hold the lock: wait for it.
APT_UPDATED=
apt_install() {
  local sudo=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null || die "need root (or sudo) to install: $*"
    sudo=(sudo)
  fi
  command -v apt-get >/dev/null || die "apt-get not found: install $* yourself (or use docker-compose.yml)"
  if [[ -z "$APT_UPDATED" ]]; then
    say "apt-get update"
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
    APT_UPDATED=1
  fi
  say "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}

as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

pg_up() { command -v pg_isready >/dev/null && pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }
psql_pg() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

wait_for() {
  local what="$1" check="$2" i
  for ((i = 0; i < 30; i++)); do
    "$check" && return 0
    sleep 1
  done
  die "$what did not come up within 30 s"
}

ensure_postgres() {
  step "PostgreSQL on $PG_HOST:$PG_PORT"
  if pg_up; then
    say "already answering"
  else
    local installed_now=
    if ! compgen -G "/etc/postgresql/*/main" >/dev/null; then
      apt_install postgresql
      installed_now=1
    fi
    local version
    version="$(ls /etc/postgresql | sort -V | tail -n1)"
    if [[ -n "$installed_now" ]]; then
      # Our own fresh install: let local TCP connections in without a password, as on dev machines.
      local hba="/etc/postgresql/$version/main/pg_hba.conf"
      say "enabling trust auth for 127.0.0.1 and ::1 in $hba"
      as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
    fi
    # postinst may already have started it; start is needed when it did not (no systemd).
    pg_up || {
      say "starting cluster $version/main"
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
    }
    [[ -z "$installed_now" ]] || as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    wait_for PostgreSQL pg_up
  fi
  psql_pg -c 'select 1' >/dev/null ||
    die "cannot log in as postgres on $PG_HOST:$PG_PORT (set PGPASSWORD, or allow trust auth in pg_hba.conf)"
  if [[ "$(psql_pg -c "select 1 from pg_database where datname = '$PG_DB'")" == 1 ]]; then
    say "database $PG_DB exists"
  else
    say "creating database $PG_DB"
    psql_pg -c "create database $PG_DB"
  fi
}

redis_up() { command -v redis-cli >/dev/null && [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

ensure_redis() {
  step "Redis on 127.0.0.1:$REDIS_PORT"
  if redis_up; then
    say "already answering"
    return
  fi
  command -v redis-server >/dev/null || apt_install redis-server
  # The package's postinst may have started it already.
  if ! redis_up; then
    say "starting redis-server (no persistence: local cache only)"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
  fi
  wait_for Redis redis_up
}

ensure_kafka() {
  step "Kafka on $("$KAFKA" brokers)"
  "$KAFKA" fetch
  "$KAFKA" format
  "$KAFKA" start
  "$KAFKA" wait
}

# Kafka counts as up only when it answers a metadata request, not when a pid exists.
kafka_up() { KAFKA_WAIT_TIMEOUT=3 "$KAFKA" wait >/dev/null 2>&1; }

print_status() {
  local failed=0 state
  printf '%-11s %-26s %s\n' SERVICE ADDRESS STATE
  if pg_up; then state=up; else state=DOWN failed=1; fi
  printf '%-11s %-26s %s\n' postgres "$PG_HOST:$PG_PORT/$PG_DB" "$state"
  if redis_up; then state=up; else state=DOWN failed=1; fi
  printf '%-11s %-26s %s\n' redis "127.0.0.1:$REDIS_PORT" "$state"
  if ! kafka_up; then
    state=DOWN failed=1
  elif ! state="up ($("$KAFKA" status))"; then
    state="up (not started by kafka.sh)"
  fi
  printf '%-11s %-26s %s\n' kafka "$("$KAFKA" brokers)" "$state"
  return "$failed"
}

up() {
  local started=$EPOCHREALTIME
  ensure_postgres
  ensure_redis
  ensure_kafka
  STEP="status"
  echo
  print_status
  echo
  echo "stack up in $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
  echo "DATABASE_URL=postgres://postgres@$PG_HOST:$PG_PORT/$PG_DB REDIS_URL=redis://127.0.0.1:$REDIS_PORT KAFKA_BROKERS=$("$KAFKA" brokers)"
}

down() {
  step "Kafka"
  if [[ "${1:-}" == --wipe ]]; then "$KAFKA" reset; else "$KAFKA" stop; fi
  echo "PostgreSQL and Redis are shared machine services: left running."
}

command="${1:-}"
shift || true
wipe=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --brokers)
      [[ "${2:-}" == 1 || "${2:-}" == 3 ]] || die "--brokers: 1 or 3, not '${2:-}'"
      export KAFKA_NODES="$2"
      shift 2
      ;;
    --wipe)
      [[ "$command" == down ]] || die "--wipe goes with down"
      wipe=--wipe
      shift
      ;;
    *) die "unknown option: $1" ;;
  esac
done
case "$command" in
  up) up ;;
  down) down "$wipe" ;;
  status) print_status || exit 1 ;;
  *)
    echo "usage: $0 <up|down [--wipe]|status> [--brokers 1|3]" >&2
    exit 2
    ;;
esac
