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
# Share of customers contacted by a campaign who open the product offered (crm.campaign.contact).
SIM_RESPONSE_RATE="${SIM_RESPONSE_RATE:-0.05}"

bash deploy/local/ensure-deps.sh
bash deploy/local/dev-env.sh
bash deploy/local/stack.sh up

echo "==> topics"
node -r ./tools/register.js tools/ensure-topics.ts

set -a
# shellcheck disable=SC1091
source .local/dev.env
set +a

# HTTP ports of the services (their config defaults); a service whose app is not in apps/ yet is skipped.
declare -A SERVICE_PORTS=([customer-service]=3001 [assignment-service]=3002 [alert-service]=3003 [campaign-service]=3004 [analytics-service]=3005)
services=()
for name in customer-service assignment-service alert-service campaign-service analytics-service; do
  [[ -f "apps/$name/src/main.ts" ]] && services+=("$name")
done

echo "==> services"
# Node flags of every service, as docker-compose.yml sets them: the old space bounded (its comment says why).
for name in "${services[@]}"; do
  NODE_OPTIONS='--max-old-space-size=160' proc_start "$name" node -r ./tools/register.js "apps/$name/src/main.ts"
done
for name in "${services[@]}"; do
  wait_http "$name" "http://127.0.0.1:${SERVICE_PORTS[$name]}/health/ready" 90
done

echo "==> corebank-simulator: live traffic at $SIM_RATE events/s, lobby tickets, campaign responses at $SIM_RESPONSE_RATE"
proc_start corebank-simulator node -r ./tools/register.js apps/corebank-simulator/src/main.ts \
  --rate "$SIM_RATE" --response-rate "$SIM_RESPONSE_RATE" --quiet

echo "==> demo campaign"
node -r ./tools/register.js deploy/local/demo-campaign.ts --base-url "http://127.0.0.1:${SERVICE_PORTS[campaign-service]}"

echo
echo "The system is up in $((SECONDS - started)) s."
for name in "${services[@]}"; do
  port="${SERVICE_PORTS[$name]}"
  printf '  %-19s console http://127.0.0.1:%s/docs   health /health/ready   metrics /metrics   log .local/logs/%s.log\n' \
    "$name" "$port" "$name"
done
cat <<MSG
  Kafka               127.0.0.1:9092      watch the stream:  npm run tail-topic -- corebank.transaction
  PostgreSQL          127.0.0.1:5432/crm  Redis 127.0.0.1:6379
  Simulator           .local/logs/corebank-simulator.log (with each campaign contact it answers)
  Dev token           npm run token -- --role head-office-admin --institution 800000
  Stop                npm run down        (add -- --wipe to delete Kafka's data too)
MSG
