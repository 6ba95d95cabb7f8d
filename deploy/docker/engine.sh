#!/usr/bin/env bash
# A Docker engine for this project's CI and for machines without one (../shared/docker-local.md in the
# team's notes has the measurements). Idempotent: when `docker info` answers, nothing is done.
# Otherwise, as root on Debian: installs docker.io, docker-compose and debootstrap from Debian's
# packages, then starts dockerd in the background with its data under DOCKER_DATA_ROOT (kept between
# runs, so images and build cache survive), logging to $DOCKER_DATA_ROOT/dockerd.log.
set -Eeuo pipefail

DOCKER_DATA_ROOT="${DOCKER_DATA_ROOT:-/var/lib/bank-crm-docker}"

say() { echo "docker: $*"; }
die() {
  echo "docker: ERROR: $*" >&2
  exit 1
}

if docker info >/dev/null 2>&1; then
  say "engine answering ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi

[[ $EUID -eq 0 ]] || die "no Docker engine answers, and starting one needs root: start Docker yourself"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if ((${#missing[@]} > 0)); then
  command -v apt-get >/dev/null || die "apt-get not found: install ${missing[*]} yourself"
  say "installing Debian's ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

mkdir -p "$DOCKER_DATA_ROOT"
say "starting dockerd (data in $DOCKER_DATA_ROOT/data)"
# Debian's policy-rc.d keeps the package's service from starting, and there is no systemd: start it here.
setsid dockerd --data-root "$DOCKER_DATA_ROOT/data" >>"$DOCKER_DATA_ROOT/dockerd.log" 2>&1 </dev/null &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && {
    say "engine up ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  }
  sleep 0.5
done
tail -n 20 "$DOCKER_DATA_ROOT/dockerd.log" >&2
die "dockerd did not answer within 30 s"
