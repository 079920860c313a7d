#!/usr/bin/env bash
# Hardware cost of the hash/gather unit (rtl/) with yosys, cached under sim/build/ by a hash of the RTL,
# this script (it holds the flows), the parameters and the tool versions.
#
#   bash sim/synth.sh [NAME=VALUE ...]      names: MAX_N HEADS ID_BITS ROW_BYTES DATA_W PORTS DEPTH
#
# Prints the output folder on the last line of stdout. It holds:
#   xilinx.log    synth_xilinx for UltraScale+ (LUT, FF, DSP, BRAM) with the given parameters
#   generic.log   technology-independent synth: yosys's internal gates ($_AND_, $_XOR_, $_MUX_, $_DFF_...)
#   ice40.log, nextpnr.log   the issue stage (the widest control path; sim/fpga/engram_hg_issue_fmax.sv)
#                 with the same NHEAD, PORTS and DEPTH on an iCE40 HX8K: LUTs and Fmax
# src/cosim/synthReport.ts reads these files; `engram-dse rtl report` runs this script.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
declare -A P=([MAX_N]=3 [HEADS]=8 [ID_BITS]=17 [ROW_BYTES]=1024 [DATA_W]=64 [PORTS]=4 [DEPTH]=16)
for kv in "$@"; do
  name=${kv%%=*}; value=${kv#*=}
  if [[ -z ${P[$name]+set} || ! $value =~ ^[0-9]+$ ]]; then
    echo "sim/synth.sh: $kv: expected NAME=INTEGER with NAME one of ${!P[*]}" >&2
    exit 2
  fi
  P[$name]=$value
done
# The iCE40 HX8K (7,680 LUT4, no DSP blocks) cannot hold even a two-head unit: its 64-bit multipliers alone
# map to ~31,000 LUT4s. Fmax there is measured on the issue stage, whose port-assignment logic is the
# unit's widest control path; on DSP FPGAs the multipliers are pipelined DSP columns.
ICE40_PARAMS=(NHEAD=$(( (${P[MAX_N]} - 1) * ${P[HEADS]} )) PORTS=${P[PORTS]} DEPTH=${P[DEPTH]})

for tool in yosys nextpnr-ice40; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "sim/synth.sh: $tool not found (install with scripts/install-tools.sh)" >&2
    exit 3
  fi
done

# One chparam per parameter (yosys 0.23 takes a single -set per call).
chparams() {
  local module=$1 out=""
  shift
  for kv in "$@"; do out+="chparam -set ${kv%%=*} ${kv#*=} $module ; "; done
  echo "${out% ; }"
}
MAIN_PARAMS=()
for name in MAX_N HEADS ID_BITS ROW_BYTES DATA_W PORTS DEPTH; do MAIN_PARAMS+=("$name=${P[$name]}"); done

READ="read_verilog -sv $(cd "$ROOT" && ls rtl/*.sv | LC_ALL=C sort | sed "s#^#$ROOT/#" | tr '\n' ' ')"
XILINX_FLOW=(
  "$READ"
  "$(chparams engram_hash_gather "${MAIN_PARAMS[@]}")"
  # UltraScale+ (DSP48E2, RAMB36E2); one flat netlist so the counts cover the whole unit.
  "synth_xilinx -family xcup -top engram_hash_gather -flatten"
  "stat"
)
GENERIC_FLOW=(
  "$READ"
  "$(chparams engram_hash_gather "${MAIN_PARAMS[@]}")"
  # Technology-independent synthesis down to yosys's internal single-bit gates; the count is the
  # generic gate count. (Mapping further onto a CMOS cell set with ABC costs tens of minutes here.)
  "synth -top engram_hash_gather -flatten"
  "stat"
)
ICE40_FLOW=(
  "read_verilog -sv $ROOT/sim/fpga/engram_hg_issue_fmax.sv $ROOT/rtl/engram_hg_issue.sv $ROOT/rtl/engram_hg_port_fifo.sv"
  "$(chparams engram_hg_issue_fmax "${ICE40_PARAMS[@]}")"
  "synth_ice40 -top engram_hg_issue_fmax -json ice40.json"
  "stat"
)
NEXTPNR_FLAGS=(
  # The largest iCE40 nextpnr supports, in the package with the most I/O.
  --hx8k
  --package ct256
  # The 12 MHz oscillator of the common iCE40 boards; the log reports the achieved Fmax either way.
  --freq 12
  # Fixed placement seed: the reported Fmax is reproducible.
  --seed 1
)

# yosys needs blanks around the ';' between commands.
join_flow() {
  local out=""
  for cmd in "$@"; do out+="$cmd ; "; done
  echo "${out% ; }"
}

KEY=$( {
  for name in MAX_N HEADS ID_BITS ROW_BYTES DATA_W PORTS DEPTH; do echo "$name=${P[$name]}"; done
  yosys -V
  nextpnr-ice40 --version 2>&1 | head -n 1
  cd "$ROOT"
  for f in $(ls rtl/*.sv sim/fpga/*.sv sim/synth.sh | LC_ALL=C sort); do echo "== $f"; cat "$f"; done
} | sha256sum | cut -c1-16)

NAME="synth-n${P[MAX_N]}h${P[HEADS]}p${P[PORTS]}d${P[DEPTH]}w${P[DATA_W]}i${P[ID_BITS]}r${P[ROW_BYTES]}-$KEY"
OUT="$ROOT/sim/build/$NAME"
if [[ -f $OUT/.complete ]]; then
  echo "$OUT"
  exit 0
fi
mkdir -p "$ROOT/sim/build"
exec 9>"$ROOT/sim/build/.synth.lock"
flock 9
if [[ -f $OUT/.complete ]]; then
  echo "$OUT"
  exit 0
fi
TMP=$(mktemp -d "$ROOT/sim/build/.tmp-synth-XXXXXX")
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
START_NS=$(date +%s%N)
echo "sim/synth.sh: synthesising $NAME (several minutes)" >&2
cd "$TMP"
# The two large flows run side by side; the iCE40 flow is small.
yosys -q -l xilinx.log -p "$(join_flow "${XILINX_FLOW[@]}")" > xilinx.out 2>&1 &
XILINX_PID=$!
yosys -q -l generic.log -p "$(join_flow "${GENERIC_FLOW[@]}")" > generic.out 2>&1 &
GENERIC_PID=$!
yosys -q -l ice40.log -p "$(join_flow "${ICE40_FLOW[@]}")" > ice40.out 2>&1 \
  || { cat ice40.out >&2; echo "sim/synth.sh: synth_ice40 failed" >&2; exit 1; }
# A unit too large for the device is a result (recorded in nextpnr.log), not a failure of this script.
nextpnr-ice40 "${NEXTPNR_FLAGS[@]}" --json ice40.json --asc ice40.asc > nextpnr.log 2>&1 || echo "nextpnr-ice40 exit $?" >> nextpnr.log
wait "$XILINX_PID" || { cat xilinx.out >&2; echo "sim/synth.sh: synth_xilinx failed" >&2; exit 1; }
wait "$GENERIC_PID" || { cat generic.out >&2; echo "sim/synth.sh: generic synth failed" >&2; exit 1; }
rm -f ice40.json ice40.asc
ELAPSED_MS=$(( ($(date +%s%N) - START_NS) / 1000000 ))
{
  echo "{"
  for name in MAX_N HEADS ID_BITS ROW_BYTES DATA_W PORTS DEPTH; do echo "  \"$name\": ${P[$name]},"; done
  echo "  \"ice40Params\": \"${ICE40_PARAMS[*]}\","
  echo "  \"yosys\": \"$(yosys -V)\","
  echo "  \"seconds\": $((ELAPSED_MS / 1000))"
  echo "}"
} > params.json
touch .complete
cd "$ROOT"
rm -rf "$OUT"
mv "$TMP" "$OUT"
trap - EXIT
echo "sim/synth.sh: done in $((ELAPSED_MS / 1000)) s" >&2
echo "$OUT"
