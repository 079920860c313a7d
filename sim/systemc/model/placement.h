// Where a row lives, shared by the gather engine and the RTL unit's adapter: the HBM hot-row cache (a
// snapshot per batch), then the backing tiers in placement order by row range (the last takes the rest),
// and the address a row has in its tier's address space.
#pragma once
#include <memory>

#include "common.h"
#include "gather_engine.h"

namespace engram_sc {

class RowPlacement {
 public:
  /** Reads rowBytes, tiers, tier.<i>.*, hbmCache.* and cxlBaseBytes; `profile` feeds a static cache. */
  RowPlacement(const Config& cfg, const std::vector<std::vector<std::uint32_t>>& profile, std::uint64_t cxlBaseBytes);
  /** One TierStats per tier: index 0 the HBM cache, then the backing tiers. */
  std::vector<TierStats> emptyStats(const std::string& systemName) const;
  const std::vector<std::string>& kinds() const { return kinds_; }
  bool hasCache() const { return cache_ != nullptr; }
  /** Records a lookup for the cache's end-of-batch update. */
  void touch(std::uint32_t row) { if (cache_) cache_->touch(row); }
  /** Whether the cache holds `row` (the batch's snapshot). */
  bool cached(std::uint32_t row) const { return cache_ && cache_->contains(row); }
  void endBatch() { if (cache_) cache_->endBatch(); }
  /** Backing tier of a row not in the cache (an index into kinds()). */
  unsigned backingTier(std::uint32_t row) const;
  /** Byte offset of `row` within backing tier `t`. */
  std::uint64_t offset(std::uint32_t row, unsigned t) const { return (row - firstRow_[t]) * static_cast<std::uint64_t>(rowBytes_); }
  /** Address of a cached row in the HBM cache. */
  std::uint64_t hbmAddress(std::uint32_t row) const;
  /** Address behind the root complex of a row in host DRAM or CXL tier `t`. */
  std::uint64_t hostAddress(std::uint32_t row, unsigned t) const { return offset(row, t) + (kinds_[t] == "cxl" ? cxlBase_ : 0); }
  unsigned rowBytes() const { return rowBytes_; }

 private:
  unsigned rowBytes_;
  std::uint64_t cxlBase_, hbmCapacityBytes_ = 0;
  std::vector<std::string> kinds_, names_;
  std::vector<std::uint64_t> firstRow_, capRows_;
  std::unique_ptr<HotRows> cache_;
};

}  // namespace engram_sc
