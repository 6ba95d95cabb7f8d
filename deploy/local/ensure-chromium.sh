#!/usr/bin/env bash
# Debian's Chromium for the browser tests (the Swagger console check drives it with playwright-core).
# Idempotent: installs the `chromium` package only when the browser is missing, then prints its version.
# CHROMIUM_PATH points the tests at another binary; when it is set, only that binary is checked.
set -Eeuo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

die() {
  echo "chromium: ERROR: $*" >&2
  exit 1
}

if [[ ! -x "$CHROMIUM" ]]; then
  [[ -z "${CHROMIUM_PATH:-}" ]] || die "CHROMIUM_PATH=$CHROMIUM is not an executable file"
  command -v apt-get >/dev/null || die "apt-get not found: install Chromium yourself and set CHROMIUM_PATH"
  sudo=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null || die "need root (or sudo) to run: apt-get install chromium"
    sudo=(sudo)
  fi
  # Another apt process (unattended-upgrades, a second checkout) may hold the lock: wait for it.
  echo "==> installing Debian's chromium (apt-get update, apt-get install chromium)"
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium >/dev/null
  [[ -x "$CHROMIUM" ]] || die "apt-get install chromium finished but $CHROMIUM is still missing"
fi

# --version needs no display, profile or network.
version="$("$CHROMIUM" --version 2>/dev/null)" || die "$CHROMIUM --version failed"
echo "==> $version ($CHROMIUM)"
