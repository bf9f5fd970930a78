#!/usr/bin/env bash
# Start a private pcscd with the vsmartcard-vpcd virtual reader for the permit tests (and the demo).
#
#   eval "$(scripts/start-test-pcscd.sh)"        # exports PCSCLITE_CSOCK_NAME, KIOSK_TEST_VPCD_PORT, ...
#   scripts/start-test-pcscd.sh --stop "$KIOSK_TEST_PCSCD_DIR"
#
# - installs pcscd and vsmartcard-vpcd when missing (root only);
# - runs pcscd in the foreground in its own mount namespace, its socket in a scratch directory (a system
#   pcscd is never touched), the virtual reader "Virtual PCD 00 00" waiting for a card on a free TCP port
#   (35963 if free; vpcd also takes the next port for its second slot);
# - waits until the daemon accepts clients, then prints `export KEY=VALUE` lines on stdout and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "start-test-pcscd: $*" >&2; }

if [ "${1:-}" = "--stop" ]; then
    .venv/bin/python -m devices.permit.sim.pcscd stop "$2"
    exit 0
fi

missing=()
command -v pcscd >/dev/null || [ -x /usr/sbin/pcscd ] || missing+=(pcscd)
[ -f /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || missing+=(vsmartcard-vpcd)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        say "missing ${missing[*]} and not root: apt-get install ${missing[*]}"
        exit 1
    fi
    say "installing ${missing[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

port_args=()
[ -n "${KIOSK_TEST_VPCD_PORT:-}" ] && port_args=(--port "$KIOSK_TEST_VPCD_PORT")
start=$(date +%s.%N)
lines="$(.venv/bin/python -m devices.permit.sim.pcscd start "${port_args[@]}")"
say "ready in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
while IFS= read -r line; do
    printf 'export %s=%q\n' "${line%%=*}" "${line#*=}"
done <<< "$lines"
