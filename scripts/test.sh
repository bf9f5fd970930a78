#!/usr/bin/env bash
# The whole test suite: ruff, the Qt layering contract, then pytest with a real CUPS queue and a real
# PostgreSQL when they can be started here (their tests skip with a reason otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/lint-imports --config pyproject.toml

cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c" || true; done' EXIT
if [ -z "${KIOSK_TEST_PG_URL:-}" ] && [ -x scripts/start-test-postgres.sh ]; then
  if pg_env="$(scripts/start-test-postgres.sh)"; then
    eval "$pg_env"
    cleanup+=("${KIOSK_TEST_PG_STOP:-true}")
  else
    echo "test: PostgreSQL could not be started; its tests will be skipped" >&2
  fi
fi
if [ -z "${KIOSK_TEST_CUPS_QUEUE:-}" ] && [ -x scripts/start-test-cups.sh ]; then
  if queue="$(scripts/start-test-cups.sh)"; then
    export KIOSK_TEST_CUPS_QUEUE="$queue"
  else
    echo "test: CUPS could not be started; its tests will be skipped" >&2
  fi
fi
.venv/bin/python -m pytest "$@"
