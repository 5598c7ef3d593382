#!/usr/bin/env bash
# Installs what berth needs on Debian (idempotent; quick when all is there) and builds it.
#   Debian packages: the OCI runtimes, conmon, CNI plugins, iptables, busybox-static,
#   mmdebstrap (base images), tini; and, for the tests, a docker CLI when none is present.
#   npm dependencies (npm install of the locked versions) and the build (npm run build), when the sources changed.
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf 'setup: %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || { log "run as root (berth manages containers, mounts and networks)"; exit 1; }

packages=(runc crun conmon containernetworking-plugins iptables iproute2 busybox-static mmdebstrap
  debootstrap tini procps uidmap xz-utils bzip2 zstd tar util-linux ca-certificates attr)
[ "${BERTH_SETUP_TEST_TOOLS:-0}" = 1 ] && packages+=(tmux docker-registry apache2-utils openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ! command -v docker >/dev/null 2>&1 && [ "${BERTH_SETUP_TEST_TOOLS:-0}" = 1 ]; then
  # The compatibility tests drive berth with the official docker CLI; Debian's docker.io ships one.
  missing+=(docker.io)
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd "$REPO"
command -v node >/dev/null || { log "node is required (Node.js 20 or newer)"; exit 1; }
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies"
  # Not `npm ci`: it refuses this lock because node-unix-socket names optional
  # platform packages (darwin, arm) that were never published, so npm cannot
  # record them. `npm install` installs exactly the locked versions all the same.
  npm install --no-audit --no-fund --loglevel=error
fi
stamp=dist/.build-stamp
if [ ! -f "$stamp" ] || [ -n "$(find src test bench tsconfig.json package.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  log "building"
  npm run --silent build
  touch "$stamp"
fi
