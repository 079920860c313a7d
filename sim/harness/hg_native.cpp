// Native fallback of the hash/gather co-simulation: the same harness as the wasm build, driven by
// src/cosim/nativeDut.ts over stdin/stdout. Every message is a frame of little-endian 32-bit words:
// request [op, n, payload[n]], reply [status (0 ok), n, payload[n]]. Ops are listed in kOp* below.
#include <cstdio>
#include <string>
#include <vector>

#include "hg_harness.h"

namespace {

constexpr uint32_t kOpQuit = 0, kOpParams = 1, kOpReset = 2, kOpWriteRegs = 3, kOpReadReg = 4, kOpSetEnv = 5,
                   kOpRun = 6, kOpTraceOpen = 7, kOpTraceClose = 8;

bool read_words(uint32_t* dst, std::size_t n) { return std::fread(dst, 4, n, stdin) == n; }

void reply(uint32_t status, const std::vector<uint32_t>& payload) {
  const uint32_t head[2] = {status, static_cast<uint32_t>(payload.size())};
  std::fwrite(head, 4, 2, stdout);
  if (!payload.empty()) std::fwrite(payload.data(), 4, payload.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

int main() {
  hg::Harness h;
  std::vector<uint32_t> in;
  for (;;) {
    uint32_t head[2];
    if (!read_words(head, 2)) return 0;
    in.resize(head[1]);
    if (head[1] != 0 && !read_words(in.data(), head[1])) return 1;
    switch (head[0]) {
      case kOpQuit:
        reply(0, {});
        return 0;
      case kOpParams:
        reply(0, {HG_MAX_N, HG_HEADS, HG_PORTS, HG_DEPTH, HG_DATA_W, HG_ID_BITS, HG_ROW_BYTES, hg::io::kWords,
                  VM_TRACE});
        break;
      case kOpReset:
        h.reset(in.at(0));
        reply(0, {});
        break;
      case kOpWriteRegs:
        for (std::size_t i = 0; i + 1 < in.size(); i += 2) h.write_reg(in[i], in[i + 1]);
        reply(0, {});
        break;
      case kOpReadReg:
        reply(0, {h.read_reg(in.at(0))});
        break;
      case kOpSetEnv:
        h.rng.state = in.at(0);
        h.env.thr_in = in.at(1);
        h.env.thr_out = in.at(2);
        h.env.thr_req = in.at(3);
        h.env.thr_rsp = in.at(4);
        h.env.latency = in.at(5);
        h.env.active_ports = in.at(6);
        h.env.log_requests = in.at(7);
        reply(0, {});
        break;
      case kOpRun: {
        const uint32_t n = in.at(0);
        const uint64_t max_cycles = (static_cast<uint64_t>(in.at(2)) << 32) | in.at(1);
        if (in.size() != 3 + 2 * static_cast<std::size_t>(n)) {
          reply(1, {});
          break;
        }
        std::vector<uint8_t> first(n);
        for (uint32_t i = 0; i < n; ++i) first[i] = static_cast<uint8_t>(in[3 + n + i]);
        std::vector<uint32_t> idx(static_cast<std::size_t>(n) * hg::kNhead);
        std::vector<uint32_t> data(static_cast<std::size_t>(n) * hg::kNhead * hg::kDataWords);
        std::vector<uint32_t> cyc(n);
        const hg::RunResult r = h.run(in.data() + 3, first.data(), n, max_cycles, idx.data(), data.data(), cyc.data());
        std::vector<uint32_t> out = {r.consumed, r.produced, static_cast<uint32_t>(r.cycles),
                                     static_cast<uint32_t>(r.cycles >> 32),
                                     static_cast<uint32_t>(h.request_log.size())};
        out.insert(out.end(), idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(r.produced) * hg::kNhead);
        out.insert(out.end(), data.begin(),
                   data.begin() + static_cast<std::ptrdiff_t>(r.produced) * hg::kNhead * hg::kDataWords);
        out.insert(out.end(), cyc.begin(), cyc.begin() + r.produced);
        out.insert(out.end(), h.request_log.begin(), h.request_log.end());
        reply(0, out);
        break;
      }
      case kOpTraceOpen: {
#if VM_TRACE
        const uint32_t len = in.at(0);
        if (len > (in.size() - 1) * 4) {
          reply(1, {});
          break;
        }
        std::string path(reinterpret_cast<const char*>(in.data() + 1), len);
        reply(0, {h.trace_open(path.c_str()) ? 1u : 0u});
#else
        reply(0, {0u});
#endif
        break;
      }
      case kOpTraceClose:
#if VM_TRACE
        h.trace_close();
#endif
        reply(0, {});
        break;
      default:
        reply(1, {});
        break;
    }
  }
}
