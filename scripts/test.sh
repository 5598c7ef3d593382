#!/usr/bin/env bash
# The whole test suite: unit tests, then integration tests against a real daemon
# (runc/crun, conmon, overlayfs, the official docker CLI). Run as root on Debian.
set -euo pipefail
REPO=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
BERTH_SETUP_TEST_TOOLS=1 scripts/setup.sh
scripts/base-images.sh --no-import
echo "== unit tests"
node --test --test-reporter=spec dist/src
echo "== integration tests"
node --test --test-reporter=spec --test-concurrency=1 dist/test/integration
