#!/usr/bin/env bash
# Builds SystemC 2.3.4 for WebAssembly (emscripten fibers, patches/systemc-2.3.4-emfiber.patch) and the SystemC
# models on it, or natively against Debian's libsystemc-dev. Recipe: ../shared/toolchain.md §3 and Appendix C.
# Every build is cached under sim/build/ by a hash of its inputs (sim/systemc/README.md lists them).
#
#   bash sim/systemc/build.sh <target> [NAME=VALUE ...]
#   targets: lib-wasm      SystemC from Debian's source package (checksum-pinned), patched, built with emcmake
#            lib-native    checks that Debian's libsystemc-dev is installed; prints its library folder
#            model-wasm    every .cpp in $SC_MODEL_DIR (default sim/systemc/model) plus rtl/*.sv through
#                          `verilator --sc`, linked with the wasm SystemC: engram_sc.js + engram_sc.wasm
#            model-native  the same with g++ and Debian's SystemC: engram_sc
#            smoke-wasm    sim/systemc/smoke (no RTL) on the wasm SystemC: sc_smoke.js + sc_smoke.wasm
#            smoke-native  the same natively: sc_smoke
#            all           lib-wasm, model-wasm, model-native
#   names (model targets): MAX_N HEADS ID_BITS ROW_BYTES DATA_W PORTS DEPTH (defaults: those of sim/build.sh)
#
# Prints the output folder on the last line of stdout (one line per target for `all`); progress goes to stderr,
# tool output to <folder>/build.log.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SELF="$ROOT/sim/systemc/build.sh"
TARGET=${1:-}
shift || true

die() {
  echo "sim/systemc/build.sh: $1" >&2
  exit "${2:-1}"
}

case $TARGET in
  lib-wasm|lib-native|model-wasm|model-native|smoke-wasm|smoke-native|all) ;;
  *) die "target: expected lib-wasm, lib-native, model-wasm, model-native, smoke-wasm, smoke-native or all, got '$TARGET'" 2 ;;
esac

# The unit's default parameters (P) and the Verilator flags, shared with sim/build.sh so both builds of the RTL agree.
source "$ROOT/sim/rtl-model.sh"
PARAM_NAMES=(MAX_N HEADS ID_BITS ROW_BYTES DATA_W PORTS DEPTH)
for kv in "$@"; do
  name=${kv%%=*}; value=${kv#*=}
  if [[ -z ${P[$name]+set} || ! $value =~ ^[0-9]+$ ]]; then
    die "$kv: expected NAME=INTEGER with NAME one of ${PARAM_NAMES[*]}" 2
  fi
  P[$name]=$value
done

# emscripten's acorn-optimizer needs Debian's node-acorn, which NodeSource's node does not search.
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
BUILD_ROOT="$ROOT/sim/build"
JOBS=$(nproc 2>/dev/null || echo 2)

need_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (install with scripts/install-tools.sh)" 3
  done
}

# ---- SystemC library for WebAssembly --------------------------------------------------------------------------
# The library's cache key covers the lib_* functions and LIB_* variables below (through declare -f/-p, so comments
# do not count), the patch and the tool versions; edits to the model part of this script do not rebuild it.

LIB_SOURCE_PACKAGE=systemc
# The Debian suite whose deb-src entry goes into the scratch apt configuration (the system's is untouched).
LIB_DEBIAN_SOURCES='deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main'
LIB_ORIG_TARBALL=systemc_2.3.4.orig.tar.gz
# sha256 of the upstream tarball as Debian ships it (Accellera SystemC 2.3.4), also listed in the .dsc.
LIB_ORIG_SHA256=83ef55e30cf18b02f9405c9252c86f3b34e0b96be051c0def9fc8e57a0653dfb
LIB_PATCH="$ROOT/sim/systemc/patches/systemc-2.3.4-emfiber.patch"
LIB_CMAKE_FLAGS=(
  # An optimised static library: it is linked into each model's single .wasm.
  -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=OFF
  # Only so that CMake skips QuickThreads (assembly); no thread is ever created (toolchain.md §3 Route 2).
  -DENABLE_PTHREADS=ON
  # The models compile with -std=gnu++17; SystemC checks that the library's C++ standard matches at link time.
  -DCMAKE_CXX_STANDARD=17
  # The fiber coroutine package of the patch; exceptions on, because SystemC resets and kills processes with them.
  "-DCMAKE_CXX_FLAGS=-DSC_USE_EMFIBER -fexceptions"
)

# sed, not head: head closes the pipe early and em++ (Python) then dies with BrokenPipeError.
lib_tool_versions() {
  em++ --version | sed -n 1p
  cmake --version | sed -n 1p
}

# Downloads the source package with a scratch apt configuration into $1 and checks the tarball's sha256 against
# the pinned value and the .dsc.
lib_fetch_source() {
  local dir=$1 apt=$1/apt
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
  echo "$LIB_DEBIAN_SOURCES" > "$apt/sources.list"
  local opts=(
    -o "Dir::Etc::SourceList=$apt/sources.list"
    -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt/lists"
    -o "Dir::Cache=$apt/cache"
    # As root, apt drops to the _apt user, which cannot write into this scratch folder.
    -o APT::Sandbox::User=root
  )
  apt-get "${opts[@]}" -q update
  (cd "$dir" && apt-get "${opts[@]}" -q source --download-only "$LIB_SOURCE_PACKAGE")
  local actual
  actual=$(sha256sum "$dir/$LIB_ORIG_TARBALL" | cut -d' ' -f1)
  [[ $actual == "$LIB_ORIG_SHA256" ]] || { echo "$LIB_ORIG_TARBALL: sha256 $actual, expected $LIB_ORIG_SHA256" >&2; return 1; }
  grep -Eq "^ $LIB_ORIG_SHA256 [0-9]+ $LIB_ORIG_TARBALL\$" "$dir"/"${LIB_SOURCE_PACKAGE}"_*.dsc \
    || { echo "$LIB_ORIG_TARBALL: the .dsc does not list sha256 $LIB_ORIG_SHA256" >&2; return 1; }
}

# Builds and installs the patched library into $1/install ($1 is the scratch build folder).
lib_build() {
  local tmp=$1
  lib_fetch_source "$tmp/src"
  mkdir -p "$tmp/src/systemc"
  tar xzf "$tmp/src/$LIB_ORIG_TARBALL" -C "$tmp/src/systemc" --strip-components=1
  (cd "$tmp/src/systemc" && patch -p1 --forward < "$LIB_PATCH")
  emcmake cmake -S "$tmp/src/systemc" -B "$tmp/cmake" "${LIB_CMAKE_FLAGS[@]}" -DCMAKE_INSTALL_PREFIX="$tmp/install"
  cmake --build "$tmp/cmake" --target systemc -j "$JOBS"
  cmake --install "$tmp/cmake"
}

LIB_WASM_KEY=
lib_wasm_key() {
  if [[ -z $LIB_WASM_KEY ]]; then
    LIB_WASM_KEY=$( {
      declare -f lib_tool_versions lib_fetch_source lib_build
      declare -p LIB_SOURCE_PACKAGE LIB_DEBIAN_SOURCES LIB_ORIG_TARBALL LIB_ORIG_SHA256 LIB_CMAKE_FLAGS
      lib_tool_versions
      cat "$LIB_PATCH"
    } | sha256sum | cut -c1-16)
  fi
  echo "$LIB_WASM_KEY"
}

# ---- shared build steps ---------------------------------------------------------------------------------------

# cached_build OUT STEP...: sim/cached-build.sh (shared with sim/dramcore/build.sh).
CACHE_LABEL=sim/systemc/build.sh
# shellcheck source=../cached-build.sh
source "$ROOT/sim/cached-build.sh"

lib_wasm_build_step() {
  local tmp=$1
  lib_build "$tmp"
  # Only the installed headers and libsystemc.a are kept.
  mv "$tmp/install/include" "$tmp/include"
  mkdir -p "$tmp/lib"
  find "$tmp/install" -name libsystemc.a -exec mv {} "$tmp/lib/" \;
  [[ -f $tmp/lib/libsystemc.a ]] || { echo "cmake --install left no libsystemc.a" >&2; return 1; }
  rm -rf "$tmp/src" "$tmp/cmake" "$tmp/install"
}

ensure_lib_wasm() {
  need_tools em++ emcmake cmake apt-get patch
  LIB_WASM_DIR="$BUILD_ROOT/systemc-lib-wasm-$(lib_wasm_key)"
  cached_build "$LIB_WASM_DIR" lib_wasm_build_step
}

# Debian's libsystemc-dev: headers in /usr/include, the shared library where g++ finds it.
ensure_lib_native() {
  need_tools g++
  [[ -f /usr/include/systemc.h && -f /usr/include/sysc/kernel/sc_ver.h ]] \
    || die "libsystemc-dev not installed: /usr/include/systemc.h missing (install with scripts/install-tools.sh)" 3
  local so
  so=$(g++ -print-file-name=libsystemc.so)
  [[ $so == /* && -f $so ]] || die "libsystemc-dev not installed: g++ finds no libsystemc.so (install with scripts/install-tools.sh)" 3
  LIB_NATIVE_SO=$(readlink -f "$so")
  LIB_NATIVE_DIR=$(dirname "$so")
}

# ---- models ---------------------------------------------------------------------------------------------------

VERILATOR_FLAGS=(
  # SystemC model: the unit becomes an SC_MODULE (Vengram_hash_gather.h) with sc_in/sc_out ports.
  --sc
  "${VERILATOR_COMMON_FLAGS[@]}"
)

CXX_COMMON=(
  # Verilator 5 needs C++17, and the SystemC libraries are built for C++17 (checked at link time).
  -std=gnu++17
  # Verilator allocates over-aligned types.
  -faligned-new
  # Model features compiled in or out; must match the verilate step (--sc, no trace, no coverage).
  -DVM_TRACE=0
  -DVM_COVERAGE=0
  -DVM_SC=1
  # Generated code uses bitwise ops on bools and compares signed with unsigned; both are intended.
  -Wno-bool-operation
  -Wno-sign-compare
)

WASM_CXX=(
  -O3
  # SystemC resets and kills processes by throwing sc_unwind_exception; models may throw too.
  -fexceptions
  # Selects the fiber coroutine package in SystemC's headers, as in the library.
  -DSC_USE_EMFIBER
  # verilatedos.h has no VL_CPU_RELAX for wasm; the model is single-threaded, so none is needed.
  -DVL_IGNORE_UNKNOWN_ARCH
)

WASM_LINK=(
  # Fibers: every coroutine switch unwinds and rewinds the wasm stack.
  -sASYNCIFY=1
  -sALLOW_MEMORY_GROWTH=1
  # A factory function instead of a global Module, so several models can load in one process.
  -sMODULARIZE=1
  # Node only: no browser or worker loader code.
  -sENVIRONMENT=node
  # The EMSCRIPTEN_KEEPALIVE functions are the entry points: main (libsystemc's, which calls sc_main) is linked,
  # so sc_main links as natively, but does not run at load. Run at load, a sc_main that returns non-zero for
  # argc == 1 (a usage message) sets Node's exit code and hangs the load (emscripten 3.1.6).
  -sINVOKE_RUN=0
  # The heap allocator is called from TypeScript.
  -sEXPORTED_FUNCTIONS=_main,_malloc,_free
  # Heap views and string helpers for the TypeScript binding.
  -sEXPORTED_RUNTIME_METHODS=HEAPU8,HEAP32,HEAPF64,UTF8ToString,stringToUTF8,lengthBytesUTF8
  # Leave Node's process-wide exception and rejection handlers alone: many models load in one process.
  -sNODEJS_CATCH_EXIT=0
  -sNODEJS_CATCH_REJECTION=0
)

NATIVE_CXX=(
  -O2
  # Verilator's runtime uses threads and atomics even for a single-threaded model.
  -pthread
)
NATIVE_LIBS=(
  -lsystemc
  -latomic
)

# The input files of a model build, one path per line: the sources, and for RTL models rtl/*.sv and sim/build.sh
# (it holds the default parameters).
model_inputs() {
  local src_dir=$1 with_rtl=$2
  find "$src_dir" -type f | LC_ALL=C sort
  if [[ $with_rtl == 1 ]]; then
    ls "$ROOT"/rtl/*.sv | LC_ALL=C sort
    echo "$ROOT/sim/build.sh"
    echo "$ROOT/sim/rtl-model.sh"
    # The model's RTL adapter returns row data with the co-simulation harness's generator.
    echo "$ROOT/sim/harness/hg_env.h"
  fi
}

# $1 tmp; settings in MODEL_* variables (set by model_target).
model_build_step() {
  local tmp=$1 vi
  vi=$(verilator --getenv VERILATOR_ROOT)/include
  local sources=() includes=() runtime=() defines=()
  mapfile -t sources < <(find "$MODEL_SRC" -maxdepth 1 -type f -name '*.cpp' | LC_ALL=C sort)
  includes=(-I"$MODEL_SRC")
  if [[ $MODEL_RTL == 1 ]]; then
    local params=() name
    for name in "${PARAM_NAMES[@]}"; do
      params+=("-G$name=${P[$name]}")
      defines+=("-DHG_$name=${P[$name]}")
    done
    verilator "${VERILATOR_FLAGS[@]}" "${params[@]}" -Mdir "$tmp/obj" "$ROOT"/rtl/*.sv
    # The generated classes compile as one unit (what Verilator's own make rules do with __ALL.cpp).
    (cd "$tmp/obj" && for f in $(ls Vengram_hash_gather*.cpp | LC_ALL=C sort); do echo "#include \"$f\""; done) > "$tmp/obj/unity.cpp"
    sources+=("$tmp/obj/unity.cpp")
    runtime=("$vi/verilated.cpp" "$vi/verilated_threads.cpp")
    includes+=(-I"$tmp/obj" -I"$vi" -I"$vi/vltstd")
  fi
  if [[ $MODEL_PLATFORM == wasm ]]; then
    em++ "${CXX_COMMON[@]}" "${WASM_CXX[@]}" "${defines[@]}" "${includes[@]}" -I"$LIB_WASM_DIR/include" \
      "${sources[@]}" "${runtime[@]}" "$LIB_WASM_DIR/lib/libsystemc.a" \
      "${WASM_LINK[@]}" "-sEXPORT_NAME=$MODEL_EXPORT" -o "$tmp/$MODEL_OUT.js"
    # The glue is CommonJS; this marker lets it load inside the repository's ESM package scope.
    echo '{ "type": "commonjs" }' > "$tmp/package.json"
  else
    g++ "${CXX_COMMON[@]}" "${NATIVE_CXX[@]}" "${defines[@]}" "${includes[@]}" \
      "${sources[@]}" "${runtime[@]}" "${NATIVE_LIBS[@]}" -o "$tmp/$MODEL_OUT"
  fi
  rm -rf "$tmp/obj"
}

# model_target <model|smoke> <wasm|native>: builds (or reuses) and sets MODEL_DIR_OUT.
model_target() {
  local kind=$1 platform=$2
  MODEL_PLATFORM=$platform
  if [[ $kind == model ]]; then
    MODEL_SRC=${SC_MODEL_DIR:-$ROOT/sim/systemc/model}
    MODEL_RTL=1
    MODEL_OUT=engram_sc
    MODEL_EXPORT=createEngramSc
  else
    MODEL_SRC=$ROOT/sim/systemc/smoke
    MODEL_RTL=0
    MODEL_OUT=sc_smoke
    MODEL_EXPORT=createScSmoke
  fi
  [[ -d $MODEL_SRC ]] || die "model folder $MODEL_SRC does not exist (set SC_MODEL_DIR)" 2
  MODEL_SRC=$(cd "$MODEL_SRC" && pwd)
  compgen -G "$MODEL_SRC/*.cpp" >/dev/null || die "model folder $MODEL_SRC: expected at least one .cpp file" 2
  local tools=()
  [[ $MODEL_RTL == 1 ]] && need_tools verilator
  if [[ $platform == wasm ]]; then
    ensure_lib_wasm
    tools=(em++ --version)
  else
    ensure_lib_native
    tools=(g++ --version)
  fi
  local key
  key=$( {
    echo "kind=$kind platform=$platform"
    if [[ $MODEL_RTL == 1 ]]; then
      for name in "${PARAM_NAMES[@]}"; do echo "$name=${P[$name]}"; done
      verilator --version
    fi
    "${tools[@]}" | sed -n 1p
    if [[ $platform == wasm ]]; then echo "lib=$(lib_wasm_key)"; else sha256sum "$LIB_NATIVE_SO" /usr/include/sysc/kernel/sc_ver.h | cut -d' ' -f1; fi
    echo "== $SELF"; cat "$SELF"
    local f
    # Paths relative to the model folder or the repository, so the key is the same in every checkout.
    while IFS= read -r f; do
      rel=${f#"$MODEL_SRC"/}
      echo "== ${rel#"$ROOT"/}"
      cat "$f"
    done < <(model_inputs "$MODEL_SRC" "$MODEL_RTL")
  } | sha256sum | cut -c1-16)
  MODEL_DIR_OUT="$BUILD_ROOT/systemc-$kind-$platform-$key"
  cached_build "$MODEL_DIR_OUT" model_build_step
}

case $TARGET in
  lib-wasm)
    ensure_lib_wasm
    echo "$LIB_WASM_DIR"
    ;;
  lib-native)
    ensure_lib_native
    echo "sim/systemc/build.sh: Debian SystemC: headers /usr/include/systemc.h, library $LIB_NATIVE_SO" >&2
    echo "$LIB_NATIVE_DIR"
    ;;
  model-wasm|model-native|smoke-wasm|smoke-native)
    model_target "${TARGET%-*}" "${TARGET#*-}"
    echo "$MODEL_DIR_OUT"
    ;;
  all)
    ensure_lib_wasm
    echo "$LIB_WASM_DIR"
    model_target model wasm
    echo "$MODEL_DIR_OUT"
    model_target model native
    echo "$MODEL_DIR_OUT"
    ;;
esac
