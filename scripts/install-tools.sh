#!/usr/bin/env bash
# Installs the system tools the tests use when they are missing (Debian/Ubuntu, as root or with sudo).
# Idempotent: does nothing when every tool is already present.
# ENGRAM_TOOLS holds check:debian-package pairs; the check is a command on PATH, or an absolute path (a header or
# data file for packages without a command, e.g. /usr/include/systemc.h:libsystemc-dev) that must exist.
# Unset, it is every tool the tests use (the README's test command and .ci/run rely on this default):
#   verilator, em++ (emscripten), g++: the RTL co-simulation builds rtl/ to WebAssembly and natively, and memsim's
#   compiled DRAM core (sim/dramcore) is built both ways;
#   yosys, nextpnr-ice40: the rtl report tests; chromium: the report browser test (test/report/browser.test.ts);
#   cmake, make, patch, libsystemc-dev, the Debian archive key: the SystemC builds (sim/systemc/build.sh fetches
#   the systemc source package with a scratch apt configuration, verified with that key; no dpkg-dev needed).
set -euo pipefail
DEFAULT_TOOLS="verilator:verilator em++:emscripten g++:g++ yosys:yosys nextpnr-ice40:nextpnr-ice40 chromium:chromium"
DEFAULT_TOOLS+=" cmake:cmake make:make patch:patch /usr/include/systemc.h:libsystemc-dev"
DEFAULT_TOOLS+=" /usr/share/keyrings/debian-archive-keyring.gpg:debian-archive-keyring"
ENGRAM_TOOLS=${ENGRAM_TOOLS:-$DEFAULT_TOOLS}

present() {
  if [[ $1 == /* ]]; then [ -e "$1" ]; else command -v "$1" >/dev/null 2>&1; fi
}

need=()
for pair in ${ENGRAM_TOOLS:-}; do
  check=${pair%%:*}; pkg=${pair#*:}
  present "$check" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# Fail here, naming the command or file, rather than later in a test that would skip for want of it.
for pair in ${ENGRAM_TOOLS:-}; do
  check=${pair%%:*}
  present "$check" || { echo "install-tools: $check still missing after installing ${pair#*:}" >&2; exit 1; }
done
