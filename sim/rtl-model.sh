# Sourced by sim/build.sh (Verilator --cc models) and sim/systemc/build.sh (--sc models): the unit's default
# parameters and the Verilator flags both builds of rtl/ share, so the two models of the RTL always agree.
# Both scripts put this file in their cache keys.

# Default parameters: the configuration the tests, the CLI and the synthesis report use.
declare -A P=([MAX_N]=3 [HEADS]=8 [ID_BITS]=17 [ROW_BYTES]=1024 [DATA_W]=64 [PORTS]=4 [DEPTH]=16)

# Verilator flags after the output kind (--cc or --sc), which each script sets.
VERILATOR_COMMON_FLAGS=(
  # Verilator's own optimisation level (the C++ -O level is set separately).
  -O3
  # X assignments become constants: the fastest model, and the RTL never relies on X.
  --x-assign fast
  # Uninitialised flops start at zero, so every run is reproducible.
  --x-initial fast
  # No assertion code in the model.
  --noassert
  # Any lint warning fails the build (the RTL must stay -Wall clean).
  -Wall
  # The unit's top module.
  --top-module engram_hash_gather
  # One thread: --threads >1 is ~700x slower on a design this small (shared/toolchain.md §2 pitfall 2).
  --threads 1
)
