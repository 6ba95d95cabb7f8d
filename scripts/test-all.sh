#!/usr/bin/env bash
# Every test the project has, against the real local stack: lint (with module boundaries),
# formatting, type-check, unit tests, integration tests, then the Docker paths (compose and the
# testcontainers provider) and the broker-kill drill on a three-broker cluster. Idempotent: brings up
# what is missing.
set -Eeuo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false FORCE_COLOR=0
started=$SECONDS
results="$ROOT/.local/test-results"
mkdir -p "$results"
rm -f "$results"/*.json

current=setup
trap 'echo "==> FAILED in [$current] after $((SECONDS - started)) s" >&2' ERR

phase() {
  local name="$1"
  shift
  current="$name"
  local t0=$SECONDS
  echo
  echo "==> [$name] $*"
  "$@"
  echo "==> [$name] ok in $((SECONDS - t0)) s"
}

phase deps bash deploy/local/ensure-deps.sh
# TEST_STACK=containers: the integration run starts its servers in containers (libs/testing/src/jest/test-stack-setup.ts).
if [[ "${TEST_STACK:-}" == containers ]]; then
  echo "==> [stack] in containers, started by the integration run"
else
  phase stack bash deploy/local/stack.sh up
fi
phase lint npx nx run-many -t lint --parallel=2 --output-style=stream-without-prefixes
phase format npx prettier --check . --log-level warn
phase typecheck npx tsc -p tsconfig.json --noEmit
phase unit npx jest --selectProjects unit --ci --json --outputFile="$results/unit.json"
phase chromium bash deploy/local/ensure-chromium.sh
phase integration npx jest --selectProjects integration --ci --maxWorkers=2 --json --outputFile="$results/integration.json"
phase docker bash deploy/docker/ci.sh
if [[ "${TEST_STACK:-}" == containers ]]; then
  echo "==> [broker-drill] runs on the native three-broker cluster (Java): left to CI's npm test"
else
  phase broker-drill bash drills/ci-broker-drill.sh
fi

# A closing line CI runners read: 'N passed, N failed' over both jest runs.
node -e '
  const files = process.argv.slice(1).map((f) => require(f));
  const sum = (k) => files.reduce((n, r) => n + r[k], 0);
  console.log(`\ntests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed`);
' "$results/unit.json" "$results/integration.json"
echo "all checks passed in $((SECONDS - started)) s"
