// GatherEngine and HotRows: see gather_engine.h.
#include "gather_engine.h"

#include "placement.h"

#include <algorithm>

namespace engram_sc {

HotRows::HotRows(const std::string& policy, std::uint64_t capacityRows, const std::vector<std::vector<std::uint32_t>>& profile)
    : policy_(policy), cap_(capacityRows) {
  if (policy != "static" && policy != "lru" && policy != "lfu") throw ModelError("input: hbmCache.policy: expected static, lru or lfu, got '" + policy + "'");
  if (policy != "static") return;
  // Top-K rows of the profile by count, ties to the lower row id.
  std::unordered_map<std::uint32_t, std::uint64_t> counts;
  for (const auto& b : profile) for (std::uint32_t r : b) counts[r]++;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> ranked(counts.begin(), counts.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
  for (std::size_t i = 0; i < ranked.size() && i < cap_; i++) static_.insert(ranked[i].first);
}

bool HotRows::contains(std::uint32_t row) const {
  if (policy_ == "static") return static_.count(row) != 0;
  return policy_ == "lru" ? lru_.count(row) != 0 : freq_.count(row) != 0;
}

void HotRows::endBatch() {
  if (policy_ == "static" || cap_ == 0) { touched_.clear(); return; }
  for (std::uint32_t row : touched_) {
    if (policy_ == "lru") {
      auto it = lru_.find(row);
      if (it != lru_.end()) {
        lruOrder_.erase(it->second);
      } else if (lru_.size() >= cap_) {
        lru_.erase(lruOrder_.front());
        lruOrder_.pop_front();
      }
      lruOrder_.push_back(row);
      lru_[row] = std::prev(lruOrder_.end());
      continue;
    }
    // LFU, least recently used among the least frequent evicted (Shah et al. 2010).
    auto f = freq_.find(row);
    if (f != freq_.end()) {
      std::uint64_t n = f->second;
      auto& bucket = byFreq_[n];
      bucket.erase(where_[row]);
      if (bucket.empty()) { byFreq_.erase(n); if (minFreq_ == n) minFreq_ = n + 1; }
      f->second = n + 1;
      auto& next = byFreq_[n + 1];
      next.push_back(row);
      where_[row] = std::prev(next.end());
      continue;
    }
    if (freq_.size() >= cap_) {
      auto& bucket = byFreq_[minFreq_];
      std::uint32_t victim = bucket.front();
      bucket.pop_front();
      if (bucket.empty()) byFreq_.erase(minFreq_);
      freq_.erase(victim);
      where_.erase(victim);
    }
    freq_[row] = 1;
    auto& one = byFreq_[1];
    one.push_back(row);
    where_[row] = std::prev(one.end());
    minFreq_ = 1;
  }
  touched_.clear();
}

namespace {
constexpr int E_START = 0;
// What a payload's id names: a fetch (HBM or link), an NVMe page job, or its posted write to the GPU.
constexpr int K_FETCH = 0;
constexpr int K_NVME = 1;
constexpr int K_PEER = 2;
constexpr int KIND_SHIFT = 40;
std::uint64_t tagOf(int kind, std::uint64_t index) { return static_cast<std::uint64_t>(kind) << KIND_SHIFT | index; }
}

GatherEngine::GatherEngine(sc_core::sc_module_name name, const Config& cfg, std::vector<std::vector<std::uint32_t>> batches,
                           const std::vector<std::vector<std::uint32_t>>& profile, std::uint64_t cxlBaseBytes)
    : Timeline(name), hbm("hbm"), link("link"), nvme("nvme"), peer("peer"), batches_(std::move(batches)) {
  try {
    hbm.register_nb_transport_bw(this, &GatherEngine::bw);
    link.register_nb_transport_bw(this, &GatherEngine::bw);
    nvme.register_nb_transport_bw(this, &GatherEngine::bw);
    peer.register_nb_transport_bw(this, &GatherEngine::bw);
    std::string merge = cfg.str("mergeDuplicates");
    if (merge != "gather" && merge != "off") throw ModelError("input: mergeDuplicates: expected gather or off, got '" + merge + "'");
    merge_ = merge == "gather";
    prefetchPs_ = static_cast<Ps>(cfg.integer("prefetchPs", 0, std::int64_t{1} << 50, 0));
    place_ = std::make_unique<RowPlacement>(cfg, profile, cxlBaseBytes);
    tiers = place_->emptyStats(cfg.str("system"));
    for (const std::string& k : place_->kinds()) if (k == "nvme") pageBytes_ = static_cast<unsigned>(cfg.integer("nvme.pageBytes", 512, 1 << 20));
    at(0, E_START, 0);
  } catch (const std::exception& e) {
    deferError(e.what());
  }
}

GatherEngine::~GatherEngine() = default;

void GatherEngine::startBatch() {
  if (next_ >= batches_.size()) { finished_ = true; sc_core::sc_stop(); return; }
  const std::vector<std::uint32_t>& ids = batches_[next_++];
  batchStart_ = nowPs();
  fetch_.clear();
  pageJobs_.clear();
  batchPages_.clear();
  std::unordered_map<std::uint32_t, std::uint32_t> seen;
  for (std::uint32_t row : ids) {
    lookups++;
    place_->touch(row);
    if (merge_) {
      auto it = seen.find(row);
      if (it != seen.end()) {
        mergedLookups++;
        unsigned t = fetch_[it->second].tier;
        tiers[t].lookups++;
        if (t == 0) hbmHits++;
        continue;
      }
    }
    auto f = static_cast<std::uint32_t>(fetch_.size());
    if (merge_) seen.emplace(row, f);
    unsigned tier;
    unsigned parts = 1;
    if (place_->cached(row)) {
      tier = 0;
      hbmHits++;
      hbmQueue_.push_back(f);
    } else {
      const unsigned t = place_->backingTier(row);
      tier = t + 1;
      if (place_->kinds()[t] != "nvme") {
        linkQueue_.push_back(f);
      } else {
        // GPUDirect Storage: every page the row spans goes SSD -> GPU; pages are shared within a batch when merging.
        const std::uint64_t offset = place_->offset(row, t);
        parts = 0;
        for (std::uint64_t page = offset / pageBytes_; page <= (offset + place_->rowBytes() - 1) / pageBytes_; page++) {
          auto shared = merge_ ? batchPages_.find(page) : batchPages_.end();
          if (shared != batchPages_.end()) {
            pageJobs_[shared->second].waiters.push_back(f);
          } else {
            auto j = static_cast<std::uint32_t>(pageJobs_.size());
            pageJobs_.push_back(PageJob{page, {f}});
            batchPages_[page] = j;
            nvmeQueue_.push_back(j);
          }
          parts++;
        }
      }
    }
    fetch_.push_back(Fetch{row, tier, batchStart_, parts});
    tiers[tier].lookups++;
    tiers[tier].fetches++;
  }
  fetchesLeft_ = fetch_.size();
  if (fetchesLeft_ == 0) {
    gatherPs.push_back(0);
    exposedPs.push_back(0);
    place_->endBatch();
    at(std::max(batchStart_, batchStart_ + prefetchPs_), E_START, 0);
  }
}

void GatherEngine::handle(int type, std::uint64_t, std::uint64_t) {
  if (type == E_START) startBatch();
}

void GatherEngine::pump() {
  issue(hbmQueue_, hbm, hbmWaiting_, K_FETCH);
  issue(linkQueue_, link, linkWaiting_, K_FETCH);
  issue(nvmeQueue_, nvme, nvmeWaiting_, K_NVME);
  issue(peerQueue_, peer, peerWaiting_, K_PEER);
}

void GatherEngine::issue(std::deque<std::uint32_t>& queue, tlm_utils::simple_initiator_socket<GatherEngine>& socket, bool& waiting, int kind) {
  while (!waiting && !queue.empty()) {
    std::uint32_t f = queue.front();
    std::uint64_t addr;
    unsigned bytes = place_->rowBytes();
    bool write = false;
    if (kind == K_NVME) {
      addr = pageJobs_[f].page * pageBytes_;
      bytes = pageBytes_;
    } else if (kind == K_PEER) {
      addr = 0;
      bytes = pageBytes_;
      write = true;
    } else if (fetch_[f].tier == 0) {
      addr = place_->hbmAddress(fetch_[f].row);
    } else {
      addr = place_->hostAddress(fetch_[f].row, fetch_[f].tier - 1);
    }
    tlm::tlm_generic_payload* trans = pool_.acquire(tagOf(kind, f), addr, bytes, write);
    const bool taken = request(socket, *trans);
    queue.pop_front();
    if (!taken) { waiting = true; break; }
  }
}

tlm::tlm_sync_enum GatherEngine::bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time&) {
  const std::uint64_t id = PayloadPool::idOf(trans);
  const int kind = static_cast<int>(id >> KIND_SHIFT);
  const std::uint64_t index = id & ((std::uint64_t{1} << KIND_SHIFT) - 1);
  if (phase == tlm::END_REQ) {
    // The target took the request it had refused: which socket's it was follows from what it carries.
    (kind == K_NVME ? nvmeWaiting_ : kind == K_PEER ? peerWaiting_ : fetch_[index].tier == 0 ? hbmWaiting_ : linkWaiting_) = false;
    poke();
    return tlm::TLM_ACCEPTED;
  }
  if (phase != tlm::BEGIN_RESP) throw ModelError(std::string(name()) + ": unexpected phase");
  trans.release();
  if (kind == K_NVME) {
    // The page is off the SSD: its DMA writes it into GPU memory over the root complex and the GPU link.
    peerQueue_.push_back(static_cast<std::uint32_t>(index));
    poke();
  } else if (kind == K_PEER) {
    for (std::uint32_t f : pageJobs_[index].waiters) if (--fetch_[f].parts == 0) deliver(f);
  } else {
    deliver(static_cast<std::uint32_t>(index));
  }
  return tlm::TLM_COMPLETED;
}

void GatherEngine::deliver(std::uint32_t f) {
  Ps now = nowPs();
  tiers[fetch_[f].tier].latencyPs.add(static_cast<double>(now - fetch_[f].start));
  if (--fetchesLeft_ == 0) {
    Ps gather = now - batchStart_;
    gatherPs.push_back(static_cast<double>(gather));
    exposedPs.push_back(static_cast<double>(gather > prefetchPs_ ? gather - prefetchPs_ : 0));
    place_->endBatch();
    at(std::max(now, batchStart_ + prefetchPs_), E_START, 0);
  }
}

}  // namespace engram_sc
