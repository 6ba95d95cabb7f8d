#!/usr/bin/env bash
# Writes .local/dev.env once: random dev-only secrets (JWT signing, PII encryption and hashing
# keys), so no secret is ever committed. Source it to run a service or `npm run token` by hand.
set -Eeuo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
file="$ROOT/.local/dev.env"
mkdir -p "$ROOT/.local"
if [[ ! -f "$file" ]]; then
  umask 077
  {
    echo "# dev-only secrets, generated $(date -u +%FT%TZ); never use in production"
    echo "JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')"
    echo "PII_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)"
    echo "PII_HASH_KEY=$(head -c 32 /dev/urandom | base64)"
  } >"$file"
  echo "==> wrote $file (dev secrets)"
fi
