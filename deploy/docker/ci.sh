#!/usr/bin/env bash
# The Docker paths of `npm test`: docker-compose.yml brought up for real until a scenario's alert comes
# out of alert-service (compose-smoke.sh), and a smoke subset of the integration tests on PostgreSQL,
# Redis and Kafka started by the testcontainers provider (libs/testing/src/container-stack.ts).
# Images: the stand-ins of local-images.sh, built without a registry (CI's machine reaches none), or
# with DOCKER_IMAGES=official the official ones, pulled: the default for TEST_STACK=containers, a
# developer's machine with Docker and without the native stack's Java and Maven.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

# One test file per service, and the provider's own checks of each server.
SMOKE_TESTS=(
  libs/testing/src/kafka-broker.int-spec.ts
  libs/testing/src/service-data-source.int-spec.ts
  apps/customer-service/src/projection/projection.int-spec.ts
  apps/assignment-service/src/coverage/coverage-flow.int-spec.ts
  apps/alert-service/src/alert-pipeline.int-spec.ts
  apps/campaign-service/src/policy/contact-counter.store.int-spec.ts
  apps/analytics-service/src/warehouse.int-spec.ts
)

bash "$HERE/engine.sh"
default_images=local
[[ "${TEST_STACK:-}" == containers ]] && default_images=official
case "${DOCKER_IMAGES:-$default_images}" in
  local)
    eval "$(bash "$HERE/local-images.sh" --env)"
    # Ryuk, testcontainers' reaper, is one more image to pull: the provider removes its containers itself.
    export TESTCONTAINERS_RYUK_DISABLED=true
    bash "$HERE/compose-smoke.sh"
    ;;
  official) bash "$HERE/compose-smoke.sh" ;;
  *)
    echo "docker: DOCKER_IMAGES must be local or official, not $DOCKER_IMAGES" >&2
    exit 1
    ;;
esac

echo "docker: integration smoke on the testcontainers provider (${#SMOKE_TESTS[@]} files)"
TEST_STACK=containers npx jest "${SMOKE_TESTS[@]}" --selectProjects integration --ci --maxWorkers=2
