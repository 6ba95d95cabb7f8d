#!/usr/bin/env bash
# docker-compose.yml for real: builds every image, brings the whole system up (Kafka, PostgreSQL, Redis,
# every service and the simulator's live traffic), waits until every service is healthy, tells the
# simulator's large-inflow scenario and waits for its alert through alert-service's REST API, then takes
# it all down, volumes too. Infrastructure ports move off the native stack's (KAFKA_HOST_PORT 29092,
# POSTGRES_HOST_PORT 25432, REDIS_HOST_PORT 26379), so both can run; the services keep 3001-3005.
#   bash deploy/docker/compose-smoke.sh
# Images: the official ones, or those KAFKA_IMAGE, POSTGRES_IMAGE, REDIS_IMAGE and NODE_IMAGE name
# (ci.sh points them at the stand-ins of local-images.sh).
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PROJECT=bank-crm-smoke
HEALTHY_WITHIN=240
ALERT_WITHIN=90

say() { echo "compose-smoke: $*"; }
die() {
  echo "compose-smoke: ERROR: $*" >&2
  exit 1
}
compose() { docker-compose --ansi never -p "$PROJECT" -f "$ROOT/docker-compose.yml" "$@"; }

bash "$HERE/engine.sh"
export KAFKA_HOST_PORT="${KAFKA_HOST_PORT:-29092}" POSTGRES_HOST_PORT="${POSTGRES_HOST_PORT:-25432}" \
  REDIS_HOST_PORT="${REDIS_HOST_PORT:-26379}"

for port in 3001 3002 3003 3004 3005 50051 50052 50053 50054; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is taken (the native services? npm run down stops them)"
  fi
done

finish() {
  local status=$?
  if ((status != 0)); then
    compose ps >&2 || true
    compose logs --tail 40 >&2 || true
  fi
  say "taking it down"
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  exit "$status"
}
trap finish EXIT

started=$SECONDS
say "building the application images"
build_log="$(mktemp)"
compose build >"$build_log" 2>&1 || {
  tail -n 40 "$build_log" >&2
  die "docker-compose build failed"
}
rm -f "$build_log"
say "starting $(compose config --services | wc -l) containers"
compose up -d >/dev/null 2>&1 || die "docker-compose up failed"

# Every container healthy (those with a health check) or running (the simulator has none).
deadline=$((SECONDS + HEALTHY_WITHIN))
while :; do
  states="$(compose ps -q | xargs docker inspect -f '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}')"
  ready="$(grep -cE ' (healthy|running)$' <<<"$states" || true)"
  total="$(wc -l <<<"$states")"
  say "healthy $ready/$total ($((SECONDS - started)) s)"
  ((ready == total)) && break
  grep -qE ' (unhealthy|exited|dead)$' <<<"$states" && die "a container failed: $(grep -E ' (unhealthy|exited|dead)$' <<<"$states" | tr '\n' ' ')"
  ((SECONDS < deadline)) || die "not healthy within $HEALTHY_WITHIN s: $(grep -vE ' (healthy|running)$' <<<"$states" | tr '\n' ' ')"
  sleep 5
done

since="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
token="$(compose exec -T alert-service node -r ./tools/register.js libs/security/src/cli/dev-token.cli.ts \
  --role head-office-admin --institution 800000)" || die "could not mint a dev token in alert-service"
say "telling the large-inflow scenario"
told="$(compose run --rm -T corebank-simulator sh -c \
  'exec node -r ./tools/register.js apps/corebank-simulator/src/main.ts --scenario large-inflow --quiet' 2>&1)" \
  || die "the simulator could not tell the scenario: $told"
customer="$(grep -oE 'customer C[0-9]+' <<<"$told" | head -n1 | cut -d' ' -f2)"
[[ -n "$customer" ]] || die "the scenario named no customer: $told"

deadline=$((SECONDS + ALERT_WITHIN))
until alert="$(curl -sf -H "Authorization: Bearer $token" \
  "http://127.0.0.1:3003/api/v1/alerts?kind=large-inflow&customerId=$customer&from=$since" |
  node -e 'const page = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const hit = page.items.find((a) => JSON.stringify(a.amount ?? {}).includes("800000.00"));
    if (!hit) process.exit(1);
    console.log(`${hit.id} for customer ${hit.customerId}, routed to ${hit.routedTo}`);')"; do
  ((SECONDS < deadline)) || die "no large-inflow alert of 800000.00 for $customer within $ALERT_WITHIN s"
  sleep 2
done
say "the scenario's alert was raised: $alert"
say "passed in $((SECONDS - started)) s"
