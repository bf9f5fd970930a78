#!/usr/bin/env bash
# Start a real CUPS server with a virtual PDF queue for the @pytest.mark.cups tests.
#
#   export KIOSK_TEST_CUPS_QUEUE="$(bash scripts/start-test-cups.sh)"
#
# - installs cups, cups-client, cups-bsd, printer-driver-cups-pdf and poppler-utils when missing (root only);
# - starts cupsd directly when no scheduler answers (no systemd needed) and waits until it does;
# - makes sure the system user "kiosk" exists (the tests submit as "kiosk", like the kiosk appliance does; cupsd
#   2.4 crashes when a job of a user unknown to the system stops its printer);
# - (re)creates queue "kiosk-a4" on its own cups-pdf instance (cups-pdf:/kiosktest, configured in
#   /etc/cups/cups-pdf-kiosktest.conf): jobs come out as PDF files in /var/spool/cups-pdf-kiosk-test;
# - installs a fault-injection backend "kiosk-fault" (device URI kiosk-fault:/REASON: reports REASON as
#   printer-state-reason and stops the queue), used by the tests for real state mapping through cupsd.
# Prints the queue name on stdout and nothing else; progress goes to stderr. Idempotent.
set -euo pipefail

QUEUE="${KIOSK_TEST_CUPS_QUEUE_NAME:-kiosk-a4}"
PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
PDF_DIR=/var/spool/cups-pdf-kiosk-test
DEVICE_URI=cups-pdf:/kiosktest
BACKEND_DIR=/usr/lib/cups/backend
export LC_ALL=C

say() { echo "start-test-cups: $*" >&2; }
is_root() { [ "$(id -u)" -eq 0 ]; }

install_packages() {
    local missing=()
    command -v cupsd >/dev/null || missing+=(cups)
    command -v lpstat >/dev/null || missing+=(cups-client)
    command -v lpr >/dev/null || missing+=(cups-bsd)
    [ -f "$PPD" ] || missing+=(printer-driver-cups-pdf)
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! is_root; then
        say "missing ${missing[*]} and not root: install them first (apt-get install ${missing[*]})"
        exit 1
    fi
    say "installing ${missing[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

scheduler_running() { lpstat -r 2>/dev/null | grep -q "scheduler is running"; }

start_scheduler() {
    scheduler_running && return 0
    say "starting cupsd"
    mkdir -p /run/cups
    cupsd  # forks into the background once it is listening
    for _ in $(seq 1 100); do
        scheduler_running && return 0
        sleep 0.1
    done
    say "cupsd did not start; see /var/log/cups/error_log"
    exit 1
}

install_fault_backend() {
    is_root || { say "not root: skipping the kiosk-fault backend"; return 0; }
    cat >"$BACKEND_DIR/kiosk-fault" <<'EOF'
#!/bin/sh
# Test backend: reports the fault named in the device URI (kiosk-fault:/media-empty-error) and stops the queue.
if [ $# -eq 0 ]; then echo 'direct kiosk-fault "Unknown" "Kiosk fault-injection backend"'; exit 0; fi
reason="${DEVICE_URI#kiosk-fault:/}"
echo "STATE: +$reason" >&2
echo "ERROR: simulated fault $reason" >&2
exit 4
EOF
    chmod 0755 "$BACKEND_DIR/kiosk-fault"
}

ensure_kiosk_user() {
    id kiosk >/dev/null 2>&1 && return 0
    is_root || { say "no user 'kiosk' and not root: create it (useradd --system kiosk)"; exit 1; }
    say "creating the system user kiosk"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin kiosk
}

configure_pdf_instance() {
    is_root || return 0
    mkdir -p "$PDF_DIR"
    chmod 1777 "$PDF_DIR"
    printf 'Out %s\nAnonDirName %s\nUserUMask 0022\nGrp lpadmin\nDecodeHexStrings 1\n' "$PDF_DIR" "$PDF_DIR" \
        >/etc/cups/cups-pdf-kiosktest.conf
}

create_queue() {
    if ! lpstat -v "$QUEUE" 2>/dev/null | grep -q "$DEVICE_URI"; then
        say "creating queue $QUEUE ($DEVICE_URI)"
        lpadmin -x "$QUEUE" 2>/dev/null || true
        lpadmin -p "$QUEUE" -E -v "$DEVICE_URI" -P "$PPD" 2>/dev/null
    fi
    cancel -a "$QUEUE" 2>/dev/null || true
    cupsenable "$QUEUE"
    cupsaccept "$QUEUE"
}

start=$(date +%s.%N)
install_packages
ensure_kiosk_user
configure_pdf_instance
start_scheduler
install_fault_backend
create_queue
say "ready in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s; output dir $PDF_DIR"
echo "$QUEUE"
