#!/usr/bin/env bash
# Sets up everything the kiosk needs on a fresh Debian/Ubuntu machine: system packages (as root via apt-get;
# otherwise it prints the exact apt-get line and stops) and the project's venv in .venv.
# Usage: scripts/setup.sh [runtime|test]    (test adds CUPS, PostgreSQL and the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-runtime}"

runtime_debs=(fonts-wqy-zenhei fonts-noto-cjk fonts-material-design-icons-iconfont poppler-utils libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
  libglib2.0-0 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1 libnss3 libasound2 python3-venv
  libpulse0 libspeechd2 speech-dispatcher speech-dispatcher-espeak-ng espeak-ng  # voice prompts (QtTextToSpeech)
  pcscd libpcsclite1 vsmartcard-vpcd  # the permit reader's PC/SC service and the demo's virtual reader
  swig libpcsclite-dev gcc python3-dev)  # pyscard has no Linux wheel: pip builds it
test_debs=(cups cups-client cups-bsd printer-driver-cups-pdf postgresql xvfb
  systemd lintian cage xwayland libwayland-cursor0 libwayland-egl1)  # the appliance: units, package, session

debs=("${runtime_debs[@]}")
[ "$profile" = test ] && debs+=("${test_debs[@]}")

missing=()
for pkg in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: these system packages are missing. Run this, then run the command again:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

python=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    python="$candidate"; break
  fi
done
[ -n "$python" ] || { echo "setup: Python >= 3.11 is required" >&2; exit 1; }

# Reinstall only when the project's dependencies changed.
stamp=".venv/.installed-$profile"
want="$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  extra="[server]"; [ "$profile" = test ] && extra="[server,test]"  # the demo runs the sandbox in-process
  .venv/bin/python -m pip install -q -e ".$extra"
  echo "$want" > "$stamp"
fi
