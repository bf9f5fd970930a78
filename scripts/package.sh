#!/usr/bin/env bash
# ./run package: the kiosk's Debian package (packaging/build.py), then lintian on it.
# Usage: scripts/package.sh [--variant full|core] [--version X.Y.Z] [--out DIR] [--no-lintian]
set -euo pipefail
cd "$(dirname "$0")/.."
lint=1
args=()
for arg in "$@"; do
  if [ "$arg" = --no-lintian ]; then lint=0; else args+=("$arg"); fi
done
package="$(.venv/bin/python packaging/build.py "${args[@]}" | tail -n 1 | cut -d' ' -f1)"
echo "package: $package"
if [ "$lint" = 1 ] && command -v lintian >/dev/null; then
  lintian --fail-on error --suppress-tags unused-override "$package"
fi
