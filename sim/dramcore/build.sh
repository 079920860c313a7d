#!/usr/bin/env bash
# Builds the compiled DRAM core of `engram-dse memsim` (sim/dramcore/dram_core.cpp) into sim/build/, cached by a
# hash of its inputs: the source, this script (it holds the flags) and the compiler version.
#
#   bash sim/dramcore/build.sh [wasm|native]
#
# wasm (default): dram_core.wasm, a standalone module without JS glue (imports env.dc_refill only), loaded by
#                 src/cli/compiledCoreLoader.ts.
# native:         dram_core_native, the same core behind sim/dramcore/native_main.cpp: `memsim --engine native`
#                 runs it as a child process fed over a pipe (src/memory/nativeCore.ts); the bench times it.
# Prints the output folder on the last line of stdout; progress goes to stderr and <folder>/build.log.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TARGET=${1:-wasm}
case $TARGET in
  wasm) COMPILER=em++ ;;
  native) COMPILER=${CXX:-g++} ;;
  *) echo "sim/dramcore/build.sh: target: expected wasm or native, got '$TARGET'" >&2; exit 2 ;;
esac
# emscripten's JS optimiser needs Debian's node-acorn, which NodeSource's node does not search.
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
if ! command -v "$COMPILER" >/dev/null 2>&1; then
  echo "sim/dramcore/build.sh: $COMPILER not found (install with scripts/install-tools.sh)" >&2
  exit 3
fi

EM_FLAGS=(
  # The simulation loop: optimise hard (-O3 measured 2.0-2.1 M requests/s against 1.7 M for -O2 in session 8).
  -O3
  -std=c++17
  # Double-to-int conversions without the trap checks (about 55 fewer instructions a request under callgrind).
  -mnontrapping-fptoint
  # A reactor module: no main(); TypeScript calls _initialize, then dc_run.
  --no-entry
  # No JS glue: the module imports env.dc_refill (and two stubs TypeScript supplies) and nothing else.
  -sSTANDALONE_WASM=1
  # dc_refill is the import TypeScript provides; the linker must leave it undefined.
  -sERROR_ON_UNDEFINED_SYMBOLS=0
  # Long traces grow the controller's queues and the batch-time list.
  -sALLOW_MEMORY_GROWTH=1
  -sEXPORTED_FUNCTIONS=_dc_run,_dc_layout,_dc_params,_dc_input,_dc_result,_dc_histogram,_dc_batches
)
NATIVE_FLAGS=(-O2 -std=c++17)

# The compiler's identity for the cache key. emscripten's version file is read directly: `em++ --version` starts
# Python and costs about 0.2 s, which every memsim run would pay just to find its cached build.
compiler_version() {
  local version
  version="$(dirname "$(readlink -f "$(command -v "$COMPILER")")")/emscripten-version.txt"
  if [[ $COMPILER == em++ && -f $version ]]; then echo "emscripten $(cat "$version")"; else "$COMPILER" --version 2>/dev/null | head -n 1; fi
}

KEY=$( {
  echo "target=$TARGET"
  # A native build runs only on the machine kind it was built for (a checkout copied between x86-64 and arm64
  # must not reuse it).
  [[ $TARGET == native ]] && uname -sm
  compiler_version
  cd "$ROOT"
  for f in sim/dramcore/dram_core.cpp sim/dramcore/dram_core_layout.h sim/dramcore/native_main.cpp sim/dramcore/build.sh sim/cached-build.sh; do echo "== $f"; cat "$f"; done
} | sha256sum | cut -c1-16)

BUILD_ROOT="$ROOT/sim/build"
CACHE_LABEL=sim/dramcore/build.sh
die() {
  echo "$CACHE_LABEL: $1" >&2
  exit 1
}
# shellcheck source=../cached-build.sh
source "$ROOT/sim/cached-build.sh"

# The build itself, into the scratch folder cached_build passes.
build_step() {
  local tmp=$1
  if [[ $TARGET == wasm ]]; then
    em++ "${EM_FLAGS[@]}" "$ROOT/sim/dramcore/dram_core.cpp" -o "$tmp/dram_core.wasm"
  else
    "$COMPILER" "${NATIVE_FLAGS[@]}" "$ROOT/sim/dramcore/dram_core.cpp" "$ROOT/sim/dramcore/native_main.cpp" -o "$tmp/dram_core_native"
  fi
}

OUT="$BUILD_ROOT/dramcore-$TARGET-$KEY"
cached_build "$OUT" build_step
echo "$OUT"
