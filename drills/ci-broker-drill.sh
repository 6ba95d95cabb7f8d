#!/usr/bin/env bash
# The broker-kill drill at CI size: the three-broker cluster started beside the single broker, then for
# alert-service (alerts), customer-service (its projection) and assignment-service (coverage) a fault-free
# reference run and a run with the broker leading most of their partitions killed -9 half-way and
# restarted; exit 1 when any outcome differs (drills/run-fault-drill.ts). About a minute per service, most
# of it the broker's 20 s down; the cluster is stopped and wiped at the end. Every service at full size,
# with its report: docs/drills/broker-kill.md.
set -Eeuo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
EVENTS="${BROKER_DRILL_EVENTS:-3000}"
SERVICES="${BROKER_DRILL_SERVICES:-alert,customer,assignment}"

bash deploy/local/stack.sh up --brokers 3
trap 'bash deploy/local/stack.sh down --brokers 3 --wipe >/dev/null' EXIT
KAFKA_BROKERS="$(KAFKA_NODES=3 bash deploy/local/kafka/kafka.sh brokers)" \
  node -r ./tools/register.js drills/run-fault-drill.ts --service "$SERVICES" --fault broker --events "$EVENTS"
