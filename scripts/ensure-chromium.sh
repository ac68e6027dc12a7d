#!/usr/bin/env bash
# Playwright cannot download its own browser here, so the tests drive Debian's Chromium.
set -uo pipefail
BIN="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$BIN" ]; then echo "Chromium at $BIN"; exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium package (a couple of minutes) …"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/tmp/leadflow-chromium-install.log 2>&1 \
    || { tail -20 /tmp/leadflow-chromium-install.log >&2; echo "apt-get install chromium failed" >&2; exit 1; }
  [ -x "$BIN" ] && { echo "Chromium installed at $BIN"; exit 0; }
fi
echo "No Chromium at $BIN. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH." >&2
exit 1
