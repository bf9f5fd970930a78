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
  if ! command -v initdb >/dev/null && [ -z "${PG_BIN:-}" ]; then
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"; export PG_BIN
  fi
  if pg_url="$(scripts/start-test-postgres.sh 2>/tmp/kiosk-test-pg.log)"; then
    export KIOSK_TEST_PG_URL="$pg_url"
    pg_dir="$(sed -n 's/^cluster in \([^ ]*\) .*/\1/p' /tmp/kiosk-test-pg.log)"
    [ -n "$pg_dir" ] && cleanup+=("scripts/start-test-postgres.sh --stop $pg_dir")
  else
    echo "test: PostgreSQL could not be started ($(tail -n 1 /tmp/kiosk-test-pg.log)); its tests will be skipped" >&2
  fi
fi
if [ -z "${KIOSK_TEST_CUPS_QUEUE:-}" ] && [ -x scripts/start-test-cups.sh ]; then
  if queue="$(scripts/start-test-cups.sh)"; then
    export KIOSK_TEST_CUPS_QUEUE="$queue"
  else
    echo "test: CUPS could not be started; its tests will be skipped" >&2
  fi
fi
if [ -z "${KIOSK_TEST_PCSC_SOCKET:-}" ] && [ -x scripts/start-test-pcscd.sh ]; then
  # A private pcscd with the virtual permit reader; the permit tests start their own when this fails.
  if pcsc_env="$(scripts/start-test-pcscd.sh)"; then
    eval "$pcsc_env"
    cleanup+=("scripts/start-test-pcscd.sh --stop $KIOSK_TEST_PCSCD_DIR")
  else
    echo "test: pcscd could not be started here; the permit tests will start their own" >&2
  fi
fi
.venv/bin/python -m pytest "$@"
