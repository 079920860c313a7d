#!/usr/bin/env bash
# Builds the hash/gather unit (rtl/) into a co-simulation model, cached under sim/build/ by a hash of every
# input: RTL sources, harness sources, this script (it holds the flags), the parameters and tool versions.
#
#   bash sim/build.sh <target> [NAME=VALUE ...]      targets: wasm (default), wasm-trace, native, native-trace
#                                                    names:   MAX_N HEADS ID_BITS ROW_BYTES DATA_W PORTS DEPTH
#
# Prints the output folder on the last line of stdout; progress goes to stderr and <folder>/build.log.
# wasm:   hash_gather.js + hash_gather.wasm (emscripten, loaded by src/cosim/wasmDut.ts)
# native: hash_gather_sim (a stdin/stdout harness, spawned by src/cosim/nativeDut.ts)
# The *-trace targets add VCD output (Verilator --trace); they are built only when a waveform is asked for.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${1:-wasm}
shift || true

# The unit's default parameters (P) and the shared Verilator flags.
source "$ROOT/sim/rtl-model.sh"
for kv in "$@"; do
  name=${kv%%=*}; value=${kv#*=}
  if [[ -z ${P[$name]+set} || ! $value =~ ^[0-9]+$ ]]; then
    echo "sim/build.sh: $kv: expected NAME=INTEGER with NAME one of ${!P[*]}" >&2
    exit 2
  fi
  P[$name]=$value
done

case $TARGET in
  wasm|wasm-trace) COMPILER=em++ ;;
  native|native-trace) COMPILER=g++ ;;
  *) echo "sim/build.sh: target: expected wasm, wasm-trace, native or native-trace, got '$TARGET'" >&2; exit 2 ;;
esac
TRACE=0
[[ $TARGET == *-trace ]] && TRACE=1

# emscripten's acorn-optimizer needs Debian's node-acorn, which NodeSource's node does not search.
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
for tool in verilator "$COMPILER"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "sim/build.sh: $tool not found (install with scripts/install-tools.sh)" >&2
    exit 3
  fi
done
VI=$(verilator --getenv VERILATOR_ROOT)/include

PARAM_ARGS=()
DEFINES=()
for name in MAX_N HEADS ID_BITS ROW_BYTES DATA_W PORTS DEPTH; do
  PARAM_ARGS+=("-G$name=${P[$name]}")
  DEFINES+=("-DHG_$name=${P[$name]}")
done

VERILATOR_FLAGS=(
  # C++ model only: the harness in sim/harness provides the entry points.
  --cc
  "${VERILATOR_COMMON_FLAGS[@]}"
)
[[ $TRACE == 1 ]] && VERILATOR_FLAGS+=(
  # VCD tracing support in the model (only the -trace targets pay for it).
  --trace
)

CXX_COMMON=(
  # Optimise the model hard: this is the simulation hot loop.
  -O3
  # Verilator 5 needs C++17.
  -std=gnu++17
  # Verilator allocates over-aligned types.
  -faligned-new
  # Model features compiled in or out; must match the verilate step.
  -DVM_TRACE=$TRACE
  -DVM_COVERAGE=0
  -DVM_SC=0
  # Generated code uses bitwise ops on bools and compares signed with unsigned; both are intended.
  -Wno-bool-operation
  -Wno-sign-compare
)

EM_FLAGS=(
  # verilatedos.h has no VL_CPU_RELAX for wasm; the model is single-threaded, so none is needed.
  -DVL_IGNORE_UNKNOWN_ARCH
  # 128-bit SIMD (Node >= 16): the harness hashes a cycle's row data in one vectorised pass (+10% cycles/s
  # measured on the default build; -flto and -fno-exceptions measured no gain and are left out).
  -msimd128
  # A factory function instead of a global Module, so several models can load in one process.
  -sMODULARIZE=1
  -sEXPORT_NAME=createHashGather
  # Node only: no browser or worker loader code.
  -sENVIRONMENT=node
  # Large batches allocate their output arrays in the wasm heap.
  -sALLOW_MEMORY_GROWTH=1
  # The heap allocator is called from TypeScript; the hg_* entry points are EMSCRIPTEN_KEEPALIVE.
  -sEXPORTED_FUNCTIONS=_malloc,_free
  # Typed-array views of the heap for passing batches.
  -sEXPORTED_RUNTIME_METHODS=HEAPU8,HEAPU32
  # Leave Node's process-wide exception and rejection handlers alone: many models load in one process.
  -sNODEJS_CATCH_EXIT=0
  -sNODEJS_CATCH_REJECTION=0
)
[[ $TRACE == 1 ]] && EM_FLAGS+=(
  # The VCD writer needs the real file system.
  -sNODERAWFS=1
)

NATIVE_FLAGS=(
  # Verilator's runtime uses threads and atomics even for a single-threaded model.
  -pthread
)
NATIVE_LIBS=(
  -latomic
)

# The generated root functions a generated function calls, one name per line (its own name excluded).
root_calls() {
  local obj=$1 fn=Vengram_hash_gather___024root___$2
  awk -v f="$fn(" '(index($0, "void " f) == 1 || index($0, "VL_INLINE_OPT void " f) == 1) && /\{$/ {on = 1} on {print} on && /^}/ {exit}' \
    "$obj"/Vengram_hash_gather___024root__DepSet_*.cpp | grep -v '^void\|^VL_INLINE_OPT void' \
    | grep -o 'Vengram_hash_gather___024root___[A-Za-z0-9_]*(vlSelf)' | sed 's/(vlSelf)$//; s/^Vengram_hash_gather___024root___//' | LC_ALL=C sort -u
}
# Whether Verilator's scheduler (eval()) is exactly: the input-combinational function, then, on a rising edge of
# clk_i (the only trigger), the non-blocking function; what HG_DIRECT_SEQUENT's run() does by itself.
direct_sequent_ok() {
  local obj=$1
  [[ $(root_calls "$obj" eval_ico) == ico_sequent__TOP__0 ]] || return 1
  [[ $(root_calls "$obj" eval_nba) == nba_sequent__TOP__0 ]] || return 1
  [[ -z $(root_calls "$obj" eval_act) ]] || return 1
  local trig
  trig=$(awk '/^void Vengram_hash_gather___024root___eval_triggers__act\(.*\{$/ {on = 1} on {print} on && /^}/ {exit}' \
    "$obj"/Vengram_hash_gather___024root__DepSet_*.cpp)
  [[ $(grep -c '__VactTriggered\.at(' <<<"$trig") == 1 && $trig == *'__VactTriggered.at(0U) = ((IData)(vlSelf->clk_i)'* \
     && $trig == *'(~ (IData)(vlSelf->__Vtrigrprev__TOP__clk_i))'* ]] || return 1
}

tool_versions() {
  verilator --version
  "$COMPILER" --version 2>/dev/null | head -n 1
}

KEY=$( {
  echo "target=$TARGET"
  for name in MAX_N HEADS ID_BITS ROW_BYTES DATA_W PORTS DEPTH; do echo "$name=${P[$name]}"; done
  tool_versions
  cd "$ROOT"
  for f in $(ls rtl/*.sv sim/harness/* sim/build.sh sim/rtl-model.sh | LC_ALL=C sort); do echo "== $f"; cat "$f"; done
} | sha256sum | cut -c1-16)

NAME="$TARGET-n${P[MAX_N]}h${P[HEADS]}p${P[PORTS]}d${P[DEPTH]}w${P[DATA_W]}i${P[ID_BITS]}r${P[ROW_BYTES]}-$KEY"
OUT="$ROOT/sim/build/$NAME"
if [[ -f $OUT/.complete ]]; then
  echo "$OUT"
  exit 0
fi

mkdir -p "$ROOT/sim/build"
# Concurrent test processes may ask for the same build: one builds, the others wait and reuse it.
exec 9>"$ROOT/sim/build/.lock"
flock 9
if [[ -f $OUT/.complete ]]; then
  echo "$OUT"
  exit 0
fi

TMP=$(mktemp -d "$ROOT/sim/build/.tmp-$TARGET-XXXXXX")
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
LOG=$TMP/build.log
START_NS=$(date +%s%N)
echo "sim/build.sh: building $NAME" >&2
{
  verilator "${VERILATOR_FLAGS[@]}" "${PARAM_ARGS[@]}" -Mdir "$TMP/obj" "$ROOT"/rtl/*.sv
  # The harness's run() may call the generated input-combinational and clock-edge functions itself instead of
  # eval() (HG_DIRECT_SEQUENT in sim/harness/hg_harness.h): only when the generated scheduler is exactly
  # those two functions behind a rising edge of clk_i, and never in the VCD builds.
  DIRECT=0
  [[ $TRACE == 0 ]] && direct_sequent_ok "$TMP/obj" && DIRECT=1
  echo "sim/build.sh: HG_DIRECT_SEQUENT=$DIRECT"
  # The generated classes compile as one unit (what Verilator's own make rules do with __ALL.cpp).
  for f in $(cd "$TMP/obj" && ls Vengram_hash_gather*.cpp | LC_ALL=C sort); do echo "#include \"$f\""; done > "$TMP/obj/unity.cpp"
  RUNTIME=("$VI/verilated.cpp" "$VI/verilated_threads.cpp")
  [[ $TRACE == 1 ]] && RUNTIME+=("$VI/verilated_vcd_c.cpp")
  INCLUDES=(-I"$TMP/obj" -I"$VI" -I"$VI/vltstd" -I"$ROOT/sim/harness")
  if [[ $COMPILER == em++ ]]; then
    em++ "${CXX_COMMON[@]}" "${EM_FLAGS[@]}" "${DEFINES[@]}" -DHG_DIRECT_SEQUENT=$DIRECT "${INCLUDES[@]}" \
      "$ROOT/sim/harness/hg_wasm.cpp" "$TMP/obj/unity.cpp" "${RUNTIME[@]}" -o "$TMP/hash_gather.js"
    # The glue is CommonJS; this marker lets it load inside the repository's ESM package scope.
    echo '{ "type": "commonjs" }' > "$TMP/package.json"
  else
    g++ "${CXX_COMMON[@]}" "${NATIVE_FLAGS[@]}" "${DEFINES[@]}" -DHG_DIRECT_SEQUENT=$DIRECT "${INCLUDES[@]}" \
      "$ROOT/sim/harness/hg_native.cpp" "$TMP/obj/unity.cpp" "${RUNTIME[@]}" "${NATIVE_LIBS[@]}" -o "$TMP/hash_gather_sim"
  fi
} > "$LOG" 2>&1 || { cat "$LOG" >&2; echo "sim/build.sh: build of $NAME failed" >&2; exit 1; }
ELAPSED_MS=$(( ($(date +%s%N) - START_NS) / 1000000 ))
ELAPSED=$(printf "%d.%03d" $((ELAPSED_MS / 1000)) $((ELAPSED_MS % 1000)))

{
  echo "{"
  echo "  \"target\": \"$TARGET\","
  echo "  \"key\": \"$KEY\","
  for name in MAX_N HEADS ID_BITS ROW_BYTES DATA_W PORTS DEPTH; do echo "  \"$name\": ${P[$name]},"; done
  echo "  \"directSequent\": $([[ $DIRECT == 1 ]] && echo true || echo false),"
  echo "  \"tools\": \"$(tool_versions | tr '\n' ';' | sed 's/"/\\"/g')\","
  echo "  \"buildSeconds\": $ELAPSED"
  echo "}"
} > "$TMP/build.json"
rm -rf "$TMP/obj"
touch "$TMP/.complete"
rm -rf "$OUT"
mv "$TMP" "$OUT"
trap - EXIT
echo "sim/build.sh: built $NAME in ${ELAPSED}s" >&2
echo "$OUT"
