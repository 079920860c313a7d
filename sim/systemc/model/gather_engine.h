// The GPU-side gather engine as a TLM-2.0 initiator: per batch (one Engram layer's row lookups, a barrier
// at the end) it merges duplicate lookups if asked, probes the HBM hot-row cache (static top-K of a
// profile, LRU or LFU, snapshot per batch as src/memory/hierarchy/hotRowCache.ts), routes each row to its
// tier by id range, and issues zero-copy reads: HBM hits to the HBM socket, host DRAM and CXL rows over
// the PCIe link. The next batch starts at max(barrier, batch start + prefetch window).
#pragma once
#include <deque>
#include <list>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <tlm_utils/simple_initiator_socket.h>

#include "common.h"

namespace engram_sc {

/** The HBM cache of hot rows; capacity in rows. */
class HotRows {
 public:
  HotRows(const std::string& policy, std::uint64_t capacityRows, const std::vector<std::vector<std::uint32_t>>& profile);
  bool contains(std::uint32_t row) const;
  void touch(std::uint32_t row) { if (policy_ != "static") touched_.push_back(row); }
  void endBatch();

 private:
  std::string policy_;
  std::uint64_t cap_;
  std::unordered_set<std::uint32_t> static_;
  std::list<std::uint32_t> lruOrder_;  // least recent first
  std::unordered_map<std::uint32_t, std::list<std::uint32_t>::iterator> lru_;
  std::unordered_map<std::uint32_t, std::uint64_t> freq_;
  std::map<std::uint64_t, std::list<std::uint32_t>> byFreq_;
  std::unordered_map<std::uint32_t, std::list<std::uint32_t>::iterator> where_;
  std::uint64_t minFreq_ = 0;
  std::vector<std::uint32_t> touched_;
};

struct TierStats {
  std::string kind, name;
  std::uint64_t lookups = 0, fetches = 0;
  Samples latencyPs;
};

class GatherEngine : public Timeline {
 public:
  tlm_utils::simple_initiator_socket<GatherEngine> hbm;
  tlm_utils::simple_initiator_socket<GatherEngine> link;
  tlm_utils::simple_initiator_socket<GatherEngine> nvme;  // NVMe commands (GPUDirect Storage tier)
  tlm_utils::simple_initiator_socket<GatherEngine> peer;  // the SSD's posted writes of a page into GPU memory

  GatherEngine(sc_core::sc_module_name name, const Config& cfg, std::vector<std::vector<std::uint32_t>> batches,
               const std::vector<std::vector<std::uint32_t>>& profile, std::uint64_t cxlBaseBytes);
  ~GatherEngine() override;

  std::vector<TierStats> tiers;  // 0: HBM cache, then the backing tiers in placement order
  std::vector<double> gatherPs, exposedPs;
  std::uint64_t lookups = 0, mergedLookups = 0, hbmHits = 0;
  bool done() const { return finished_; }

 private:
  struct Fetch { std::uint32_t row; unsigned tier; Ps start; unsigned parts; };
  /** A page of the NVMe tier read for this batch and the fetches waiting for it. */
  struct PageJob { std::uint64_t page; std::vector<std::uint32_t> waiters; };
  tlm::tlm_sync_enum bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
  void handle(int type, std::uint64_t a, std::uint64_t b) override;
  void pump() override;
  void startBatch();
  void issue(std::deque<std::uint32_t>& queue, tlm_utils::simple_initiator_socket<GatherEngine>& socket, bool& waiting, int kind);
  void deliver(std::uint32_t f);

  std::vector<std::vector<std::uint32_t>> batches_;
  std::size_t next_ = 0;
  bool merge_;
  Ps prefetchPs_;
  std::unique_ptr<class RowPlacement> place_;
  PayloadPool pool_;
  std::vector<Fetch> fetch_;
  std::deque<std::uint32_t> hbmQueue_, linkQueue_, nvmeQueue_, peerQueue_;
  bool hbmWaiting_ = false, linkWaiting_ = false, nvmeWaiting_ = false, peerWaiting_ = false;
  std::vector<PageJob> pageJobs_;
  std::unordered_map<std::uint64_t, std::uint32_t> batchPages_;
  unsigned pageBytes_ = 4096;
  std::uint64_t fetchesLeft_ = 0;
  Ps batchStart_ = 0;
  bool finished_ = false;
};

}  // namespace engram_sc
