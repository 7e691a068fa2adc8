#!/bin/sh
# Installs what `npm run demo`, `npm test` and `npm run bench` need on a fresh Debian machine:
# npm dependencies (npm ci when node_modules is missing or older than the lockfile) and the
# Debian packages of the real components (Prometheus, Alertmanager; Chromium, kubectl and
# PostgreSQL for tests).
set -eu
purpose="${1:-demo}"
cd "$(dirname "$0")/.."

lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.burnrate-lock-sha256
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "bootstrap: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > "$stamp"
fi

missing=""
command -v prometheus >/dev/null 2>&1 || missing="$missing prometheus"
command -v prometheus-alertmanager >/dev/null 2>&1 || missing="$missing prometheus-alertmanager"
# The demo Kubernetes API serves TLS with a certificate made at start (kubectl sends tokens only over https).
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
if [ "$purpose" != demo ]; then
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
  command -v kubectl >/dev/null 2>&1 || missing="$missing kubernetes-client"
  # npm test starts a throwaway PostgreSQL from these binaries when 127.0.0.1:5432 does not answer.
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "bootstrap: missing Debian packages:$missing" >&2
    echo "bootstrap: run as root, or install them first: sudo apt-get install -y$missing" >&2
    exit 1
  fi
  echo "bootstrap: installing Debian packages:$missing"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi
