// The hash/gather unit from rtl/ (Verilated with `verilator --sc`) inside the SystemC memory system: a
// token stream enters the real RTL, its memory ports become TLM-2.0 reads into the same HBM / PCIe / host
// DRAM / CXL models the gather engine uses (rows routed by id range, HBM hot-row cache as the engine's),
// and the gathered vectors come back out. One SC_METHOD on the falling clock edge drives the unit's
// inputs and samples its flop outputs (every handshake output of the unit depends only on flops, so what
// is sampled at the falling edge is what the rising edge will see).
#pragma once
#include <deque>
#include <memory>
#include <tlm_utils/simple_initiator_socket.h>

#include "Vengram_hash_gather.h"
#include "common.h"
#include "gather_engine.h"

#ifndef HG_MAX_N
#define HG_MAX_N 3
#endif
#ifndef HG_HEADS
#define HG_HEADS 8
#endif
#ifndef HG_PORTS
#define HG_PORTS 4
#endif
#ifndef HG_DATA_W
#define HG_DATA_W 64
#endif
#ifndef HG_DEPTH
#define HG_DEPTH 16
#endif

namespace engram_sc {

class RtlUnit : public Timeline {
 public:
  static constexpr unsigned NHEAD = (HG_MAX_N - 1) * HG_HEADS;
  static constexpr unsigned PORTS = HG_PORTS;
  static constexpr unsigned DATA_W = HG_DATA_W;
  static_assert(PORTS * 64 > 64 && PORTS * DATA_W > 64, "the adapter expects sc_bv address and data buses (PORTS >= 2)");
  static_assert(DATA_W % 32 == 0, "DATA_W must be a multiple of 32");

  tlm_utils::simple_initiator_socket<RtlUnit> hbm;
  tlm_utils::simple_initiator_socket<RtlUnit> link;

  RtlUnit(sc_core::sc_module_name name, const Config& cfg, std::uint64_t cxlBaseBytes);
  ~RtlUnit() override;

  std::vector<TierStats> tiers;
  void writeResult(Json& j) const;

 private:
  struct MemRequest { unsigned port; std::uint32_t tag; std::uint64_t addr; unsigned tier; std::uint64_t target; Ps start; };
  struct Response { std::uint32_t tag; std::uint64_t addr; };
  tlm::tlm_sync_enum bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
  void handle(int type, std::uint64_t a, std::uint64_t b) override;
  void pump() override;
  void onFallingEdge();
  void issue(std::deque<std::uint32_t>& queue, tlm_utils::simple_initiator_socket<RtlUnit>& socket, bool& waiting);
  void vectorTaken();

  sc_core::sc_clock clk_;
  sc_core::sc_signal<bool> rst_n_, cfg_we_, cfg_re_, in_valid_, in_ready_, in_first_, vec_valid_, vec_ready_;
  sc_core::sc_signal<std::uint32_t> mem_req_valid_, mem_req_ready_, mem_rsp_valid_, mem_rsp_ready_;
  sc_core::sc_signal<std::uint32_t> cfg_addr_, cfg_wdata_, cfg_rdata_, in_id_, mem_req_tag_, mem_rsp_tag_;
  sc_core::sc_signal<sc_dt::sc_bv<PORTS * 64>> mem_req_addr_;
  sc_core::sc_signal<sc_dt::sc_bv<PORTS * DATA_W>> mem_rsp_data_;
  sc_core::sc_signal<sc_dt::sc_bv<NHEAD * DATA_W>> vec_data_;
  sc_core::sc_signal<sc_dt::sc_bv<NHEAD * 32>> vec_index_;
  std::unique_ptr<Vengram_hash_gather> dut_;

  // Inputs.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> cfgWrites_;
  std::vector<std::uint32_t> ids_;
  std::vector<std::uint8_t> first_;
  std::size_t batchTokens_;
  std::uint64_t tableBase_;
  unsigned rowBytes_ = 1, tagBits_;
  Ps prefetchPs_;
  std::unique_ptr<class RowPlacement> place_;
  std::size_t dumpVectors_;
  unsigned queueLimit_;

  // State.
  std::uint64_t cycle_ = 0, resetCycles_ = 0;
  std::size_t cfgNext_ = 0, tokenNext_ = 0, produced_ = 0, batchEnd_ = 0;
  bool inBatch_ = false, finished_ = false;
  Ps batchStart_ = 0, nextBatchAt_ = 0;
  PayloadPool pool_;
  std::vector<MemRequest> req_;
  std::vector<std::uint32_t> freeReq_;
  std::deque<std::uint32_t> hbmQueue_, linkQueue_;
  bool hbmWaiting_ = false, linkWaiting_ = false;
  std::vector<std::deque<Response>> responses_;  // per port, ready to present
  std::uint64_t requests_ = 0, responsesPresented_ = 0, inputStallCycles_ = 0, requestStallCycles_ = 0;
  std::vector<double> batchPs_;
  std::vector<std::uint64_t> batchCycles_;
  std::uint64_t digest_ = 0xcbf29ce484222325ull;  // FNV-1a over every vector's indices and data words
  std::vector<std::uint32_t> dumpIndices_, dumpData_;
};

}  // namespace engram_sc
