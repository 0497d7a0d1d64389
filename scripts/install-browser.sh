#!/usr/bin/env bash
# Install Debian's chromium and chromium-driver for the browser tests (tests/browser/),
# only when /usr/bin/chromium is absent. Idempotent; safe to call from `make test`.
# Needs root (or sudo) and apt; on any other machine it says so and exits 0, and the
# browser tests skip with that reason.
# Also installs axe-core from npm (package.json) for the accessibility check, when npm is
# there and node_modules/ lacks it.
set -u

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -f "$ROOT/node_modules/axe-core/axe.min.js" ] && command -v npm >/dev/null 2>&1; then
    (cd "$ROOT" && npm install --no-audit --no-fund --silent) \
        || echo "install-browser: npm install failed; the axe-core check will be skipped" >&2
fi

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get here; browser tests will be skipped" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install-browser: not root and no sudo; browser tests will be skipped" >&2
        exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq \
        chromium chromium-driver; } >/tmp/newstrace-install-browser.log 2>&1; then
    echo "install-browser: apt-get failed (see /tmp/newstrace-install-browser.log);" \
        "browser tests will be skipped" >&2
    exit 0
fi
echo "install-browser: installed $(/usr/bin/chromium --version 2>/dev/null)" >&2
