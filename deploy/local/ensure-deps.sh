#!/usr/bin/env bash
# Installs node_modules exactly from the lock file and patches/, once per their content (npm ci is slow
# and wipes node_modules, so it only runs when the lock changed or nothing is installed).
set -Eeuo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

command -v node >/dev/null || { echo "deps: ERROR: Node.js 20.19+ is required (apt-get install nodejs, or nodejs.org)" >&2; exit 1; }
# The native Kafka broker needs them; tests on containers (TEST_STACK=containers) do not.
if [[ "${TEST_STACK:-}" != containers ]]; then
  command -v java >/dev/null || { echo "deps: ERROR: Java 17+ is required for the local Kafka broker (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
  command -v mvn >/dev/null || { echo "deps: ERROR: Maven is required to fetch the Kafka broker jars (apt-get install maven)" >&2; exit 1; }
fi

stamp=node_modules/.package-lock.sha256
# The patches applied after install (patch-package) count as part of the lock.
wanted="$(cat package-lock.json patches/*.patch | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  echo "==> node_modules up to date"
else
  echo "==> npm ci (first run or package-lock.json changed)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$wanted" >"$stamp"
fi
