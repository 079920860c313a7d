// WebAssembly entry points of the hash/gather co-simulation (loaded by src/cosim/wasmDut.ts). Plain C
// exports on one global harness; arrays are passed as pointers into the wasm heap, and results that do
// not fit a return value are read back with getters.
#include <emscripten/emscripten.h>

#include "hg_harness.h"

namespace {
hg::Harness* g_harness = nullptr;
hg::RunResult g_last;
uint32_t g_io[hg::io::kWords];

hg::Harness& harness() {
  if (g_harness == nullptr) g_harness = new hg::Harness;
  return *g_harness;
}
}  // namespace

extern "C" {

// Build-time parameters: 0 MAX_N, 1 HEADS, 2 PORTS, 3 DEPTH, 4 DATA_W, 5 ID_BITS, 6 ROW_BYTES, 7 io words,
// 8 tracing compiled in.
EMSCRIPTEN_KEEPALIVE uint32_t hg_param(uint32_t which) {
  switch (which) {
    case 0: return HG_MAX_N;
    case 1: return HG_HEADS;
    case 2: return HG_PORTS;
    case 3: return HG_DEPTH;
    case 4: return HG_DATA_W;
    case 5: return HG_ID_BITS;
    case 6: return HG_ROW_BYTES;
    case 7: return hg::io::kWords;
    case 8: return VM_TRACE;
    default: return 0;
  }
}

EMSCRIPTEN_KEEPALIVE void hg_reset(uint32_t cycles) { harness().reset(cycles); }
EMSCRIPTEN_KEEPALIVE void hg_write_reg(uint32_t addr, uint32_t data) { harness().write_reg(addr, data); }
EMSCRIPTEN_KEEPALIVE uint32_t hg_read_reg(uint32_t addr) { return harness().read_reg(addr); }

EMSCRIPTEN_KEEPALIVE void hg_set_env(uint32_t seed, uint32_t thr_in, uint32_t thr_out, uint32_t thr_req,
                                     uint32_t thr_rsp, uint32_t latency, uint32_t active_ports,
                                     uint32_t log_requests) {
  hg::Harness& h = harness();
  h.rng.state = seed;
  h.env.thr_in = thr_in;
  h.env.thr_out = thr_out;
  h.env.thr_req = thr_req;
  h.env.thr_rsp = thr_rsp;
  h.env.latency = latency;
  h.env.active_ports = active_ports;
  h.env.log_requests = log_requests;
}

// max_cycles is split in two 32-bit halves (no BigInt at the JS boundary).
EMSCRIPTEN_KEEPALIVE void hg_run(const uint32_t* ids, const uint8_t* first, uint32_t n, uint32_t max_lo,
                                 uint32_t max_hi, uint32_t* out_idx, uint32_t* out_data, uint32_t* out_cycle) {
  const uint64_t max_cycles = (static_cast<uint64_t>(max_hi) << 32) | max_lo;
  g_last = harness().run(ids, first, n, max_cycles, out_idx, out_data, out_cycle);
}

// 0 consumed, 1 produced, 2 cycles lo, 3 cycles hi.
EMSCRIPTEN_KEEPALIVE uint32_t hg_result(uint32_t which) {
  switch (which) {
    case 0: return g_last.consumed;
    case 1: return g_last.produced;
    case 2: return static_cast<uint32_t>(g_last.cycles);
    case 3: return static_cast<uint32_t>(g_last.cycles >> 32);
    default: return 0;
  }
}

EMSCRIPTEN_KEEPALIVE uint32_t hg_log_words() { return static_cast<uint32_t>(harness().request_log.size()); }
EMSCRIPTEN_KEEPALIVE const uint32_t* hg_log_ptr() { return harness().request_log.data(); }

EMSCRIPTEN_KEEPALIVE uint32_t* hg_io_ptr() { return g_io; }
EMSCRIPTEN_KEEPALIVE void hg_step() { harness().step(g_io); }

EMSCRIPTEN_KEEPALIVE uint32_t hg_trace_open(const char* path) {
#if VM_TRACE
  return harness().trace_open(path) ? 1u : 0u;
#else
  (void)path;
  return 0u;
#endif
}
EMSCRIPTEN_KEEPALIVE void hg_trace_close() {
#if VM_TRACE
  harness().trace_close();
#endif
}

}  // extern "C"
