// A DRAM behind a TLM-2.0 target socket (approximately timed, base protocol): channels, ranks, bank
// groups, banks and row buffers with the JEDEC terms of the preset (tRCD, CL, tRP, tRAS, tRC, tCCD_S/L,
// tRRD_S/L, tFAW, tRTP, burst), FR-FCFS per channel (the command that can issue first, a row hit first at
// a tie, then the oldest), open or closed page, the row-hit cap, the preset's address mapping, and
// refresh (all-bank, same-bank or per-bank slices every tREFI / slices, staggered over channels and ranks;
// slices in round-robin order, where src/memory/dram picks the least-queued one). Reads only (a gather
// never writes). Not modelled, unlike src/memory/dram: write queues, controller duplicate merging.
// Time in the device's command clock; completions leave at ceil(cycle x tCK) ps.
#pragma once
#include <deque>
#include <tlm_utils/simple_target_socket.h>

#include "common.h"

namespace engram_sc {

class DramTarget : public Timeline {
 public:
  tlm_utils::simple_target_socket<DramTarget> socket;

  /** Reads the preset under `prefix` (e.g. "hostDram."). */
  DramTarget(sc_core::sc_module_name name, const Config& cfg, const std::string& prefix);

  std::string presetName;
  double tCkPs;
  double peakBandwidthGBps;
  unsigned burstBytes;
  // Counters.
  std::uint64_t requests = 0, bursts = 0, activates = 0, precharges = 0, rowHits = 0, refreshes = 0;
  double busBytes() const { return static_cast<double>(bursts) * burstBytes; }

 private:
  struct Burst {
    std::uint64_t request;
    std::uint32_t bank;  // flat bank index within the channel
    std::uint32_t row;
    std::uint64_t seq;   // arrival order
  };
  struct Bank {
    std::int64_t openRow = -1;
    std::int64_t actReady = 0, colReady = 0, preReady = 0;
    unsigned hitsSinceAct = 0;
    std::deque<std::uint32_t> queue;  // burst slots, oldest first
  };
  struct Channel {
    std::vector<Bank> banks;
    std::uint32_t queued = 0;
    std::int64_t cmdFree = 0;          // first cycle the command bus is free
    std::int64_t colSBankGroupReady = 0, colLastBg = -1, colLast = -1000000;
    std::int64_t busFree = 0;           // first cycle the data bus is free
    std::vector<std::int64_t> lastAct;  // per rank: cycle of the last ACT
    std::vector<std::int64_t> lastActBg;
    std::vector<std::deque<std::int64_t>> actWindow;  // per rank: last 4 ACT cycles (tFAW)
    bool scheduled = false;
    std::int64_t scheduledAt = 0;
    std::vector<std::int64_t> refreshDue;   // per rank: cycle the next refresh slice is due
    std::vector<unsigned> refreshSlice;     // per rank: slice refreshed next
  };
  struct Request {
    tlm::tlm_generic_payload* trans;
    unsigned burstsLeft;
    std::int64_t lastDataEnd;
  };

  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
  void handle(int type, std::uint64_t a, std::uint64_t b) override;
  bool accept(tlm::tlm_generic_payload& trans);
  void decode(std::uint64_t burstIndex, std::uint32_t& channel, std::uint32_t& bank, std::uint32_t& row, std::uint32_t& rank, std::uint32_t& bg) const;
  void schedule(std::uint32_t ch, std::int64_t cycle);
  void decide(std::uint32_t ch);
  void refresh(Channel& chan, std::int64_t t);
  std::int64_t cycleNow() const;

  // Organisation and timing (cycles).
  unsigned channels_, ranks_, bankGroups_, banksPerGroup_, rows_, columns_;
  std::int64_t tRcd_, tCl_, tRp_, tRas_, tRc_, tCcdS_, tCcdL_, tRrdS_, tRrdL_, tFaw_, tRtp_, burstCycles_, actCycles_, casCycles_;
  unsigned queueDepth_, rowHitCap_;
  bool closedPage_;
  std::vector<std::vector<std::uint32_t>> slices_;  // banks (within a rank) refreshed together
  std::int64_t refreshInterval_, tRfc_;
  struct MapPart { int field; std::uint64_t radix, weight; };
  std::vector<MapPart> map_;

  std::vector<Channel> ch_;
  std::vector<Burst> bursts_;
  std::vector<std::uint32_t> freeBursts_;
  std::vector<Request> req_;
  std::vector<std::uint32_t> freeReq_;
  std::uint64_t seq_ = 0;
  tlm::tlm_generic_payload* waiting_ = nullptr;  // a request refused for want of queue space
};

}  // namespace engram_sc
