#!/usr/bin/env bash
# Installs the system tools the tests use when they are missing (Debian/Ubuntu, as root or with sudo).
# Idempotent: does nothing when every tool is already present.
set -euo pipefail
need=()
# Each entry: command-to-check:debian-package
for pair in ${ENGRAM_TOOLS:-}; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# Fail here, naming the command, rather than later in a test that would skip for want of it.
for pair in ${ENGRAM_TOOLS:-}; do
  cmd=${pair%%:*}
  command -v "$cmd" >/dev/null 2>&1 || { echo "install-tools: $cmd still missing after installing ${pair#*:}" >&2; exit 1; }
done
