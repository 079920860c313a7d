// RowPlacement: see placement.h.
#include "placement.h"

#include <algorithm>

namespace engram_sc {

RowPlacement::RowPlacement(const Config& cfg, const std::vector<std::vector<std::uint32_t>>& profile, std::uint64_t cxlBaseBytes) : cxlBase_(cxlBaseBytes) {
  rowBytes_ = static_cast<unsigned>(cfg.integer("rowBytes", 1, 1 << 20));
  kinds_ = cfg.words("tiers");
  std::uint64_t first = 0;
  for (std::size_t i = 0; i < kinds_.size(); i++) {
    const std::string& k = kinds_[i];
    const std::string at = "tier." + std::to_string(i) + ".";
    if (k != "host-dram" && k != "cxl" && k != "nvme") throw ModelError("input: tiers[" + std::to_string(i) + "]: expected host-dram, cxl or nvme, got '" + k + "'");
    if (k == "nvme" && cfg.integer(at + "gds", 0, 1) != 1) throw ModelError("input: " + at + "gds: the SystemC model reads NVMe with GPUDirect Storage only (no host page cache), got 0");
    const std::uint64_t cap = cfg.has(at + "capacityRows") ? static_cast<std::uint64_t>(cfg.integer(at + "capacityRows", 1, std::int64_t{1} << 52)) : UINT64_MAX;
    firstRow_.push_back(first);
    capRows_.push_back(cap);
    first = cap == UINT64_MAX ? first : first + cap;
    names_.push_back(cfg.str(at + "name"));
  }
  const std::string policy = cfg.str("hbmCache.policy", "none");
  if (policy != "none") {
    hbmCapacityBytes_ = static_cast<std::uint64_t>(cfg.integer("hbmCache.capacityBytes", 0, std::int64_t{1} << 52));
    cache_ = std::make_unique<HotRows>(policy, static_cast<std::uint64_t>(cfg.integer("hbmCache.capacityRows", 0, std::int64_t{1} << 52)), profile);
  }
}

std::vector<TierStats> RowPlacement::emptyStats(const std::string& systemName) const {
  std::vector<TierStats> out{TierStats{"hbm", systemName + " HBM cache", 0, 0, {}}};
  for (std::size_t i = 0; i < kinds_.size(); i++) out.push_back(TierStats{kinds_[i], names_[i], 0, 0, {}});
  return out;
}

unsigned RowPlacement::backingTier(std::uint32_t row) const {
  unsigned t = 0;
  while (t + 1 < capRows_.size() && row >= firstRow_[t] + capRows_[t]) t++;
  return t;
}

std::uint64_t RowPlacement::hbmAddress(std::uint32_t row) const {
  return (static_cast<std::uint64_t>(row) * rowBytes_) % std::max<std::uint64_t>(rowBytes_, hbmCapacityBytes_);
}

}  // namespace engram_sc
