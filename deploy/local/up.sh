#!/usr/bin/env bash
# The whole system on this machine, with live simulated core-banking traffic:
# dependencies, dev secrets, PostgreSQL + Redis + Kafka, topics, services, the simulator.
# Idempotent: running it again starts only what is not running.
set -Eeuo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=procs.sh
source deploy/local/procs.sh
started=$SECONDS
SIM_RATE="${SIM_RATE:-20}"

bash deploy/local/ensure-deps.sh
bash deploy/local/dev-env.sh
bash deploy/local/stack.sh up

echo "==> topics"
node -r ./tools/register.js tools/ensure-topics.ts

set -a
# shellcheck disable=SC1091
source .local/dev.env
set +a

echo "==> corebank-simulator: live traffic at $SIM_RATE events/s"
proc_start corebank-simulator node -r ./tools/register.js apps/corebank-simulator/src/main.ts --rate "$SIM_RATE" --quiet

cat <<MSG

The system is up in $((SECONDS - started)) s.
  Kafka       127.0.0.1:9092      watch the stream:  npm run tail-topic -- corebank.transaction
  PostgreSQL  127.0.0.1:5432/crm  Redis 127.0.0.1:6379
  Simulator   .local/logs/corebank-simulator.log
  Dev token   npm run token -- --role head-office-admin --institution HO
  Stop        npm run down        (add -- --wipe to delete Kafka's data too)
MSG
