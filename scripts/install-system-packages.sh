#!/bin/sh
# Install the operating-system packages the test suite drives, when they are missing:
# PostgreSQL's server (tests start a throw-away cluster of their own), Chromium (browser
# tests) and a Java 17+ runtime (the analysis spec tests on Spark). Uses apt-get as root, or through sudo when that needs no password; otherwise says
# what to install. It never changes PostgreSQL's system-wide configuration.
set -eu

missing=""
[ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
  || missing="$missing postgresql"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
[ -n "$missing" ] || exit 0

if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo -n"
else
  echo "Tests need:$missing. Install with: sudo apt-get install -y$missing" >&2
  exit 0  # the tests themselves then skip (or, with CI=true, fail) with the same advice
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Tests need:$missing, and this system has no apt-get: install them yourself." >&2
  exit 0
fi
echo "Installing:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
