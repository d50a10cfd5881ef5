#!/usr/bin/env bash
# Browser tests need Debian's Chromium. Install it when missing; fail loudly when that is impossible.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
echo "Chromium not found at $CHROMIUM: installing it with apt-get…"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
LOG="$(mktemp)"
if ! { $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$LOG" 2>&1; then
  tail -n 40 "$LOG" >&2
  echo "ERROR: could not install chromium (apt-get install -y chromium). The browser tests cannot run." >&2
  exit 1
fi
[ -x "$CHROMIUM" ] || { echo "ERROR: chromium installed but $CHROMIUM is missing" >&2; exit 1; }
echo "Installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)."
