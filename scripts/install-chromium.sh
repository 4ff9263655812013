#!/usr/bin/env bash
# Installs headless Chromium (Debian's `chromium` package) for the report screenshot test, when it is missing and
# we may (root with apt-get). Elsewhere it says what to do: the test then skips, saying chromium is absent.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  echo "[install-chromium] installed $(chromium --version 2>/dev/null || echo chromium)"
else
  echo "[install-chromium] chromium is not installed and cannot be installed here (needs root and apt-get): apt-get install chromium" >&2
fi
