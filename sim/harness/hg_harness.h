// C++ side of the hash/gather co-simulation, shared by the WebAssembly build (hg_wasm.cpp) and the
// native fallback (hg_native.cpp). It owns the verilated unit and the environment around it: the token
// source, the output sink and a memory model with configurable latency and random ready/valid
// back-pressure on every port. src/cosim/cycleModel.ts replays exactly this loop; keep them in step.
//
// One cycle of run():
//   1. draw the coins, in this order: input gap, output stall, then per active port the request-ready
//      stall, then per active port the response stall (2 + 2 * active_ports draws, every cycle);
//   2. drive inputs: a token is offered unless the gap coin fires (an offered token stays offered until
//      taken), vec_ready = !stall, req_ready = !stall, and a port presents its oldest outstanding
//      response when it is due (accepted at cycle c, latency L: due at c + L) and its coin allows;
//   3. sample every handshake (every output of the unit depends on its flops only), then evaluate the
//      rising clock edge (one eval() per cycle, see kRisingEdgeOnly; or the two generated functions eval()
//      would run, see HG_DIRECT_SEQUENT).
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "Vengram_hash_gather.h"
#include "Vengram_hash_gather___024root.h"
#include "hg_env.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

#ifndef HG_MAX_N
#error "HG_MAX_N (and HG_HEADS, HG_PORTS, HG_DEPTH, HG_DATA_W) must match the verilated parameters"
#endif

namespace hg {

constexpr unsigned clog2(unsigned v) {
  unsigned r = 0;
  while ((1u << r) < v) ++r;
  return r;
}

constexpr unsigned kNhead = (HG_MAX_N - 1) * HG_HEADS;
constexpr unsigned kPorts = HG_PORTS;
constexpr unsigned kPosW = clog2(kNhead);
constexpr unsigned kSlotW = clog2(HG_DEPTH);
constexpr unsigned kTagW = kPosW + kSlotW;
constexpr unsigned kDataWords = HG_DATA_W / 32;
static_assert(HG_DATA_W % 32 == 0, "the harness moves row data in 32-bit words");
static_assert(kTagW <= 32, "tags travel as 32-bit words");

inline uint64_t low_mask(unsigned w) { return w >= 64 ? ~0ull : ((1ull << w) - 1); }

// Bit-field access that works for every Verilator port type (CData..QData and VlWide<N>); w <= 64.
inline uint64_t get_bits(uint64_t v, unsigned lsb, unsigned w) { return (v >> lsb) & low_mask(w); }
template <std::size_t N>
inline uint64_t get_bits(const VlWide<N>& v, unsigned lsb, unsigned w) {
  if (lsb % 32 == 0) {  // the common, word-aligned case: addresses, indices, data words
    if (w == 32) return v[lsb / 32];
    if (w == 64) return static_cast<uint64_t>(v[lsb / 32]) | (static_cast<uint64_t>(v[lsb / 32 + 1]) << 32);
  }
  uint64_t r = 0;
  for (unsigned i = 0; i < w;) {
    unsigned bit = lsb + i, word = bit / 32, off = bit % 32;
    unsigned take = 32 - off < w - i ? 32 - off : w - i;
    r |= (static_cast<uint64_t>(v[word] >> off) & low_mask(take)) << i;
    i += take;
  }
  return r;
}
template <typename T>
inline void set_bits(T& v, unsigned lsb, unsigned w, uint64_t x) {
  uint64_t m = low_mask(w) << lsb;
  v = static_cast<T>((static_cast<uint64_t>(v) & ~m) | ((x << lsb) & m));
}
template <std::size_t N>
inline void set_bits(VlWide<N>& v, unsigned lsb, unsigned w, uint64_t x) {
  if (lsb % 32 == 0 && w == 32) {
    v[lsb / 32] = static_cast<uint32_t>(x);
    return;
  }
  for (unsigned i = 0; i < w;) {
    unsigned bit = lsb + i, word = bit / 32, off = bit % 32;
    unsigned take = 32 - off < w - i ? 32 - off : w - i;
    uint32_t m = static_cast<uint32_t>(low_mask(take)) << off;
    v[word] = (v[word] & ~m) | ((static_cast<uint32_t>(x >> i) << off) & m);
    i += take;
  }
}

// 32-bit word `word` of a port (bits [32 word +: 32]), written or copied out whole.
template <typename T>
inline void put_word(T& v, unsigned word, uint32_t x) {
  set_bits(v, 32 * word, 32, x);
}
template <std::size_t N>
inline void put_word(VlWide<N>& v, unsigned word, uint32_t x) {
  v[word] = x;
}
template <typename T>
inline void copy_words(const T& v, uint32_t* dst, unsigned words) {
  for (unsigned k = 0; k < words; ++k) dst[k] = static_cast<uint32_t>(get_bits(v, 32 * k, 32));
}
template <std::size_t N>
inline void copy_words(const VlWide<N>& v, uint32_t* dst, unsigned words) {
  std::memcpy(dst, v.data(), 4u * words);
}

// hg::row_word (hg_env.h) split in two so a cycle's requests can be hashed in one vectorisable pass:
// row_word(addr, w) == row_word_of(row_base_of(addr), w).
inline uint32_t row_base_of(uint64_t addr) {
  return static_cast<uint32_t>(addr) ^ (static_cast<uint32_t>(addr >> 32) * 0x85ebca6bu);
}
inline uint32_t row_word_of(uint32_t base, uint32_t w) { return triple32(base ^ ((w + 1u) * 0x9e3779b9u)); }

// The verilated model's root: the ports as plain members (Verilator's documented `rootp`), so the hot loop
// writes them directly instead of through the wrapper's per-port references.
using Root = Vengram_hash_gather___024root;

// Verilator 5.006 detects a rising clock edge by comparing clk_i with its value at the previous eval()
// (__Vtrigrprev__TOP__clk_i). run() evaluates only the rising edge: instead of a falling-edge eval() it
// records "clock was low" in that field. This is exact because every output of the unit depends on its
// flops only (the falling-edge eval() changes no output), and the next eval() still runs the input
// combinational region before the edge. Where a Verilator version names the field differently, the check
// below is false and run() evaluates both edges as before; the VCD builds always evaluate both edges.
template <typename R, typename = void>
struct HasClkPrev : std::false_type {};
template <typename R>
struct HasClkPrev<R, std::void_t<decltype(std::declval<R&>().__Vtrigrprev__TOP__clk_i)>> : std::true_type {};
constexpr bool kRisingEdgeOnly = HasClkPrev<Root>::value && !VM_TRACE;

}  // namespace hg

// The rising clock edge without Verilator's scheduler. Verilator 5.006's eval() runs the input-combinational
// region (ico_sequent), then its trigger loop finds the clock edge and runs the non-blocking region
// (nba_sequent), then loops once more to find nothing triggered; it also does per-call bookkeeping for
// messages from other threads ($display and friends, which the unit does not use; --threads 1). That costs
// ~125 of ~1,485 instructions per cycle. sim/build.sh reads the generated scheduler and defines
// HG_DIRECT_SEQUENT=1 only when it is exactly that: one ico function, one nba function, the clock's rising
// edge the only trigger. run() then calls the two functions itself; anything else (another Verilator
// version, an RTL change that adds a region or trigger, the VCD builds) keeps eval().
#ifndef HG_DIRECT_SEQUENT
#define HG_DIRECT_SEQUENT 0
#endif
#if HG_DIRECT_SEQUENT
#if VM_TRACE
#error "HG_DIRECT_SEQUENT skips the evaluations the VCD writer samples"
#endif
void Vengram_hash_gather___024root___ico_sequent__TOP__0(Vengram_hash_gather___024root* vlSelf);
void Vengram_hash_gather___024root___nba_sequent__TOP__0(Vengram_hash_gather___024root* vlSelf);
#endif

namespace hg {

struct Env {
  uint32_t thr_in = 0, thr_out = 0, thr_req = 0, thr_rsp = 0;  // a coin fires when draw < threshold
  uint32_t latency = 1;                                        // cycles from request accept to response
  uint32_t active_ports = kPorts;
  uint32_t log_requests = 0;
};

struct RunResult {
  uint32_t consumed = 0, produced = 0;
  uint64_t cycles = 0;
};

// Per-cycle I/O block for step(): inputs then outputs, all 32-bit words (layout in src/cosim/wasmDut.ts).
namespace io {
constexpr unsigned kInValid = 0, kInId = 1, kInFirst = 2, kVecReady = 3, kReqReady = 4, kRspValid = 5;
constexpr unsigned kRspTag = 6;
constexpr unsigned kRspData = kRspTag + kPorts;
constexpr unsigned kOut = kRspData + kPorts * kDataWords;
constexpr unsigned kInReady = kOut, kVecValid = kOut + 1, kReqValid = kOut + 2;
constexpr unsigned kReqTag = kOut + 3;
constexpr unsigned kReqAddr = kReqTag + kPorts;
constexpr unsigned kVecIndex = kReqAddr + 2 * kPorts;
constexpr unsigned kVecData = kVecIndex + kNhead;
constexpr unsigned kWords = kVecData + kNhead * kDataWords;
}  // namespace io

class Harness {
 public:
  Harness() : ctx_(new VerilatedContext), top_(new Vengram_hash_gather(ctx_.get(), "top")) {
    top_->clk_i = 0;
    top_->rst_ni = 1;
    top_->eval();
    reset(2);
  }
  ~Harness() {
#if VM_TRACE
    trace_close();
#endif
    top_->final();
  }

  Env env;
  Rng rng;
  uint64_t cycle = 0;  // rising edges since construction
  std::vector<uint32_t> request_log;  // per accepted request: batch cycle, port, tag, addr lo, addr hi

  // Holds reset for `cycles` cycles with every input idle; outstanding memory requests are dropped, as an
  // interconnect reset would. The random stream is not reset.
  void reset(unsigned cycles) {
    idle_inputs();
    top_->rst_ni = 0;
    top_->clk_i = 0;
    eval_dump();
    for (unsigned i = 0; i < cycles; ++i) tick();
    top_->rst_ni = 1;
    top_->clk_i = 0;
    eval_dump();
    clear_memory();
    in_hold_ = false;
  }

  // One bus cycle per register access.
  void write_reg(uint32_t addr, uint32_t data) {
    idle_inputs();
    top_->cfg_we_i = 1;
    top_->cfg_addr_i = addr;
    top_->cfg_wdata_i = data;
    tick();
    top_->cfg_we_i = 0;
  }
  uint32_t read_reg(uint32_t addr) {
    idle_inputs();
    top_->cfg_re_i = 1;
    top_->cfg_addr_i = addr;
    tick();
    top_->cfg_re_i = 0;
    return top_->cfg_rdata_o;
  }

  // Streams n tokens through the unit until n vectors have come out or max_cycles have passed. Outputs:
  // indices [n][kNhead], data [n][kNhead][kDataWords], the batch cycle of each output [n].
  // The loop is compiled once per combination of "any coin can fire" and "requests are logged", so the
  // common case (no back-pressure, no log) carries neither (sim/README.md, "Simulation speed").
  RunResult run(const uint32_t* ids, const uint8_t* first, uint32_t n, uint64_t max_cycles, uint32_t* out_idx,
                uint32_t* out_data, uint32_t* out_cycle) {
    request_log.clear();
    // With every probability zero no coin can fire, so the draws are skipped (the stream is reseeded by
    // every set_env, so nothing observable changes; the TS cycle model does the same).
    const bool draws = env.thr_in | env.thr_out | env.thr_req | env.thr_rsp;
    const bool log = env.log_requests != 0;
    if (draws) {
      return log ? run_loop<true, true>(ids, first, n, max_cycles, out_idx, out_data, out_cycle)
                 : run_loop<true, false>(ids, first, n, max_cycles, out_idx, out_data, out_cycle);
    }
    return log ? run_loop<false, true>(ids, first, n, max_cycles, out_idx, out_data, out_cycle)
               : run_loop<false, false>(ids, first, n, max_cycles, out_idx, out_data, out_cycle);
  }

  // One cycle driven from outside (the TypeScript per-cycle driver): inputs from words[0..io::kOut),
  // outputs sampled before the clock edge into words[io::kOut..io::kWords).
  void step(uint32_t* w) {
    top_->in_valid_i = w[io::kInValid] & 1u;
    top_->in_id_i = w[io::kInId];
    top_->in_first_i = w[io::kInFirst] & 1u;
    top_->vec_ready_i = w[io::kVecReady] & 1u;
    top_->mem_req_ready_i = w[io::kReqReady];
    top_->mem_rsp_valid_i = w[io::kRspValid];
    for (unsigned p = 0; p < kPorts; ++p) {
      if ((w[io::kRspValid] >> p) & 1u) {
        set_bits(top_->mem_rsp_tag_i, p * kTagW, kTagW, w[io::kRspTag + p]);
        for (unsigned k = 0; k < kDataWords; ++k) {
          set_bits(top_->mem_rsp_data_i, p * HG_DATA_W + 32 * k, 32, w[io::kRspData + p * kDataWords + k]);
        }
      }
    }
    top_->clk_i = 0;
    eval_dump();
    w[io::kInReady] = top_->in_ready_o;
    w[io::kVecValid] = top_->vec_valid_o;
    const uint32_t req_valid = top_->mem_req_valid_o;
    w[io::kReqValid] = req_valid;
    for (unsigned p = 0; p < kPorts; ++p) {
      if ((req_valid >> p) & 1u) {
        w[io::kReqTag + p] = static_cast<uint32_t>(get_bits(top_->mem_req_tag_o, p * kTagW, kTagW));
        const uint64_t a = get_bits(top_->mem_req_addr_o, p * 64, 64);
        w[io::kReqAddr + 2 * p] = static_cast<uint32_t>(a);
        w[io::kReqAddr + 2 * p + 1] = static_cast<uint32_t>(a >> 32);
      }
    }
    if (top_->vec_valid_o) capture_vector(w + io::kVecIndex, w + io::kVecData);
    top_->clk_i = 1;
    eval_dump();
    ++cycle;
  }

#if VM_TRACE
  bool trace_open(const char* path) {
    trace_close();
    Verilated::traceEverOn(true);
    vcd_.reset(new VerilatedVcdC);
    top_->trace(vcd_.get(), 99);
    vcd_->open(path);
    return vcd_->isOpen();
  }
  void trace_close() {
    if (vcd_) {
      vcd_->close();
      vcd_.reset();
    }
  }
#endif

 private:
  // An accepted request: its tag, the row data it will return (computed once, at acceptance) and the
  // cycle it is due.
  struct MemEntry {
    uint64_t due;
    uint32_t tag;
    uint32_t data[kDataWords];
  };

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vengram_hash_gather> top_;
#if VM_TRACE
  std::unique_ptr<VerilatedVcdC> vcd_;
#endif
  // Per-port outstanding requests in acceptance order (answered in order on each port). A port never
  // holds more than every slot's heads, so a ring of kRing entries cannot overflow.
  static constexpr unsigned kRing = 1u << clog2(HG_DEPTH * kNhead + 4);
  MemEntry mem_[kPorts][kRing] = {};
  unsigned mem_head_[kPorts] = {};
  unsigned mem_count_[kPorts] = {};
  bool in_hold_ = false;

  // The simulation hot loop behind run(): it keeps its state in locals, computes a request's row data once
  // when the request is accepted, draws a cycle's coins in one fixed-length pass, and updates the memory
  // model's queues without a branch per port.
  template <bool kDraws, bool kLog>
  RunResult run_loop(const uint32_t* ids, const uint8_t* first, uint32_t n, uint64_t max_cycles, uint32_t* out_idx,
                     uint32_t* out_data, uint32_t* out_cycle) {
    Root& top = *top_->rootp;
    const uint64_t start = cycle;
    const unsigned pa = env.active_ports < kPorts ? env.active_ports : kPorts;
    const uint32_t thr_in = env.thr_in, thr_out = env.thr_out, thr_req = env.thr_req, thr_rsp = env.thr_rsp;
    const uint32_t latency = env.latency;
    const uint32_t all_ready = (pa >= 32 ? ~0u : (1u << pa) - 1u);
    // The draws of one cycle: gap, stall, pa request coins, pa response coins.
    const uint32_t coin_step = (2u + 2u * pa) * Rng::kStep;
    uint32_t rng_state = rng.state;
    uint32_t consumed = 0, produced = 0;
    bool hold = in_hold_;
    uint64_t now = cycle;
    // The memory model's ring positions live in locals: the model's ports are byte-sized, and a store
    // through a byte pointer may alias anything, so members would be reloaded after every port write.
    // head and tail count requests answered and accepted, modulo 2^32 (a port holds tail - head); their low
    // bits index the ring.
    unsigned head[kPorts], tail[kPorts];
    for (unsigned p = 0; p < kPorts; ++p) {
      head[p] = mem_head_[p];
      tail[p] = mem_head_[p] + mem_count_[p];
    }
    MemEntry(*const mem)[kRing] = mem_;
    while (produced < n && now - start < max_cycles) {
      // 1. Coins: draw i of the cycle is triple32(state + (i + 1) * step) (Rng::next), so the cycle's draws are
      // computed in one vectorisable pass of fixed length and the stream advances by the draws used.
      bool gap = false, out_stall = false;
      uint32_t req_ready = all_ready, rsp_stall = 0;
      if constexpr (kDraws) {
        constexpr unsigned kLanes = (2 + 2 * kPorts + 3) & ~3u;
        uint32_t r[kLanes];
        for (unsigned i = 0; i < kLanes; ++i) r[i] = triple32(rng_state + (i + 1u) * Rng::kStep);
        rng_state += coin_step;
        gap = r[0] < thr_in;
        out_stall = r[1] < thr_out;
        uint32_t req_stall = 0;
        for (unsigned p = 0; p < kPorts; ++p) {
          if (p < pa) {
            req_stall |= (r[2 + p] < thr_req ? 1u : 0u) << p;
            rsp_stall |= (r[2 + pa + p] < thr_rsp ? 1u : 0u) << p;
          }
        }
        req_ready &= ~req_stall;
      }

      // 2. Inputs: the responses due this cycle are found first, then every input port is written.
      const bool in_valid = consumed < n && (hold || !gap);
      uint32_t rsp_valid = 0;
      const MemEntry* due[kPorts];
      for (unsigned p = 0; p < kPorts; ++p) {
        const MemEntry& e = mem[p][head[p] & (kRing - 1)];
        due[p] = &e;
        rsp_valid |= static_cast<uint32_t>((tail[p] != head[p]) & (e.due <= now)) << p;
      }
      rsp_valid &= ~rsp_stall;
      top.in_valid_i = in_valid;
      if (in_valid) {
        top.in_id_i = ids[consumed];
        top.in_first_i = first[consumed];
      }
      top.vec_ready_i = !out_stall;
      top.mem_req_ready_i = req_ready;
      // Every port's tag and data are written, valid or not (the unit ignores them without valid): straight-line
      // stores instead of a branch and a read-modify-write per port.
      write_rsp(top.mem_rsp_tag_i, due, rsp_valid);
      for (unsigned p = 0; p < kPorts; ++p) {
        for (unsigned w = 0; w < kDataWords; ++w) put_word(top.mem_rsp_data_i, p * kDataWords + w, due[p]->data[w]);
      }
      top.mem_rsp_valid_i = rsp_valid;
      top.clk_i = 0;
#if !HG_DIRECT_SEQUENT  // the direct path evaluates no falling edge and uses no edge detector
      if (kRisingEdgeOnly) {
        rearm_clock(top);
      } else {
        eval_dump(now);
      }
#endif

      // 3. Handshakes (every output of the unit depends on its flops only).
      const uint64_t c = now - start;
      if (in_valid && top.in_ready_o) {
        ++consumed;
        hold = false;
      } else {
        hold = in_valid;
      }
      if (top.vec_valid_o && !out_stall) {
        copy_words(top.vec_index_o, out_idx + static_cast<std::size_t>(produced) * kNhead, kNhead);
        copy_words(top.vec_data_o, out_data + static_cast<std::size_t>(produced) * kNhead * kDataWords,
                   kNhead * kDataWords);
        out_cycle[produced] = static_cast<uint32_t>(c);
        ++produced;
      }
      const uint32_t accepted = top.mem_req_valid_o & req_ready;
      const uint32_t answered = rsp_valid & top.mem_rsp_ready_o;
      if (accepted != 0) {
        const auto tags = top.mem_req_tag_o;
        uint64_t addr[kPorts];
        uint32_t row_base[kPorts];
        for (unsigned p = 0; p < kPorts; ++p) {
          addr[p] = get_bits(top.mem_req_addr_o, p * 64, 64);
          row_base[p] = row_base_of(addr[p]);
        }
        // The row data of every port's request in one fixed-length pass (it vectorises: wasm simd128, SSE).
        uint32_t words[kPorts * kDataWords];
        for (unsigned i = 0; i < kPorts * kDataWords; ++i) words[i] = row_word_of(row_base[i / kDataWords], i % kDataWords);
        // Every port's request is written to the slot after its queue's tail and the queue grows by one only
        // where the request was accepted: that slot is free (a port never holds more than every slot's heads,
        // fewer than kRing), and the port's head entry, if that is the same slot, was already presented above.
        for (unsigned p = 0; p < kPorts; ++p) {
          const uint32_t bit = (accepted >> p) & 1u;
          MemEntry& e = mem[p][tail[p] & (kRing - 1)];
          e.tag = static_cast<uint32_t>(get_bits(tags, p * kTagW, kTagW));
          e.due = now + latency;
          std::memcpy(e.data, words + p * kDataWords, sizeof e.data);
          tail[p] += bit;
        }
        if constexpr (kLog) {
          for (unsigned p = 0; p < kPorts; ++p) {
            if ((accepted >> p) & 1u) {
              request_log.insert(request_log.end(),
                                 {static_cast<uint32_t>(c), p, static_cast<uint32_t>(get_bits(tags, p * kTagW, kTagW)),
                                  static_cast<uint32_t>(addr[p]), static_cast<uint32_t>(addr[p] >> 32)});
            }
          }
        }
      }
      for (unsigned p = 0; p < kPorts; ++p) {
        head[p] += (answered >> p) & 1u;
      }
      top.clk_i = 1;
#if HG_DIRECT_SEQUENT
      Vengram_hash_gather___024root___ico_sequent__TOP__0(&top);
      Vengram_hash_gather___024root___nba_sequent__TOP__0(&top);
#else
      eval_dump(now);
#endif
      ++now;
    }
#if HG_DIRECT_SEQUENT
    // The edge detector holds the clock's last value, as eval() would have left it.
    top.__Vtrigrprev__TOP__clk_i = top.clk_i;
#endif
    for (unsigned p = 0; p < kPorts; ++p) {
      mem_head_[p] = head[p] & (kRing - 1);
      mem_count_[p] = tail[p] - head[p];
    }
    rng.state = rng_state;
    cycle = now;
    in_hold_ = hold;
    idle_inputs();
    RunResult res;
    res.consumed = consumed;
    res.produced = produced;
    res.cycles = now - start;
    return res;
  }

  void clear_memory() {
    for (unsigned p = 0; p < kPorts; ++p) mem_head_[p] = mem_count_[p] = 0;
  }

  void capture_vector(uint32_t* idx, uint32_t* data) {
    copy_words(top_->vec_index_o, idx, kNhead);
    copy_words(top_->vec_data_o, data, kNhead * kDataWords);
  }

  void idle_inputs() {
    top_->in_valid_i = 0;
    top_->vec_ready_i = 0;
    top_->mem_req_ready_i = 0;
    top_->mem_rsp_valid_i = 0;
    top_->cfg_we_i = 0;
    top_->cfg_re_i = 0;
  }

  // The response tags of a cycle: one store of the whole port where it is an integer (tags of ports without
  // valid are don't-care), a field per valid port otherwise.
  template <typename T, typename E>
  static void write_rsp(T& port, const E* const* due, uint32_t valid) {
    if constexpr (std::is_integral<T>::value) {
      uint64_t v = 0;
      for (unsigned p = 0; p < kPorts; ++p) v |= static_cast<uint64_t>(due[p]->tag) << (p * kTagW);
      port = static_cast<T>(v);
    } else {
      for (unsigned p = 0; p < kPorts; ++p) {
        if ((valid >> p) & 1u) set_bits(port, p * kTagW, kTagW, due[p]->tag);
      }
    }
  }

  // Records that the clock was low without evaluating the falling edge (kRisingEdgeOnly above).
  template <typename R>
  static void rearm_clock(R& root) {
    if constexpr (HasClkPrev<R>::value) root.__Vtrigrprev__TOP__clk_i = 0;
  }

  void eval_dump() { eval_dump(cycle); }
  void eval_dump(uint64_t at) {
    top_->eval();
#if VM_TRACE
    if (vcd_) vcd_->dump(2 * at + (top_->clk_i ? 1 : 0));
#else
    (void)at;
#endif
  }

  void tick() {
    top_->clk_i = 0;
    eval_dump();
    top_->clk_i = 1;
    eval_dump();
    ++cycle;
  }
};

}  // namespace hg
