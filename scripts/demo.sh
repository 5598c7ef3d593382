#!/usr/bin/env bash
# From a fresh clone: install, build, make the base images, start the daemon, run containers.
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
scripts/setup.sh
berth=bin/berth
# The CLI starts the daemon on the default socket (/run/berth/berth.sock) when none answers.
$berth version >/dev/null
scripts/base-images.sh
step() { printf '\n$ %s\n' "$*"; }
step "berth images"; $berth images
step "berth run --rm busybox echo 'Hello from a berth container'"
$berth run --rm busybox echo 'Hello from a berth container'
step "berth run -d --name demo-ticker busybox sh -c 'for i in 1 2 3; do echo tick \$i; sleep 1; done'"
$berth rm -f demo-ticker >/dev/null 2>&1 || true
$berth run -d --name demo-ticker busybox sh -c 'for i in 1 2 3; do echo tick $i; sleep 1; done'
step "berth ps"; $berth ps
step "berth logs -f demo-ticker"; $berth logs -f demo-ticker
step "berth ps -a --filter name=demo-ticker"; $berth ps -a --filter name=demo-ticker
step "berth rm demo-ticker"; $berth rm demo-ticker
demo_dir=$(mktemp -d)
trap 'rm -rf "$demo_dir"' EXIT
printf 'FROM busybox\nRUN echo "built by berth" > /greeting\nHEALTHCHECK --interval=1s CMD test -f /greeting\nCMD ["sh", "-c", "cat /greeting; sleep 30"]\n' > "$demo_dir/Dockerfile"
step "berth build -t demo-app (Dockerfile: FROM busybox, RUN, HEALTHCHECK, CMD)"
$berth build -q -t demo-app "$demo_dir"
$berth rm -f demo-app >/dev/null 2>&1 || true
step "berth run -d --name demo-app --restart on-failure -m 64m demo-app"
$berth run -d --name demo-app --restart on-failure -m 64m demo-app
sleep 2
step "berth exec demo-app cat /greeting"; $berth exec demo-app cat /greeting
step "berth ps --filter name=demo-app"; $berth ps --filter name=demo-app
step "berth rm -f demo-app"; $berth rm -f demo-app
step "berth run --rm debian:bookworm cat /etc/debian_version"
$berth run --rm debian:bookworm cat /etc/debian_version
printf '\nThe daemon keeps running (socket /run/berth/berth.sock). Try: bin/berth run --rm busybox uname -a\n'
printf 'The official docker CLI works too: DOCKER_HOST=unix:///run/berth/berth.sock docker ps -a\n'
