// RtlUnit: see rtl_unit.h.
#include "rtl_unit.h"

#include <algorithm>

#include "../../harness/hg_env.h"
#include "placement.h"

namespace engram_sc {

namespace {
constexpr unsigned clog2(unsigned v) { unsigned b = 0; while ((1u << b) < v) b++; return b; }
constexpr unsigned TAG_BITS = clog2(HG_DEPTH) + clog2(RtlUnit::NHEAD);
/** The unit's clock period; a bad value is deferred (the clock is built before the constructor body runs). */
std::int64_t clockPs(const Config& cfg) {
  try {
    return cfg.integer("rtl.clockPs", 2, 1000000);
  } catch (const std::exception& e) {
    deferError(e.what());
    return 1000;
  }
}
static_assert(TAG_BITS * HG_PORTS <= 32, "the adapter expects the tag buses to fit 32 bits");
}  // namespace

RtlUnit::RtlUnit(sc_core::sc_module_name name, const Config& cfg, std::uint64_t cxlBaseBytes)
    : Timeline(name), hbm("hbm"), link("link"),
      clk_("clk", sc_core::sc_time(static_cast<double>(clockPs(cfg)), sc_core::SC_PS)) {
  try {
    hbm.register_nb_transport_bw(this, &RtlUnit::bw);
    link.register_nb_transport_bw(this, &RtlUnit::bw);
    std::vector<std::uint64_t> writes = cfg.list("rtl.cfgWrites");
    if (writes.size() % 2 != 0) throw ModelError("input: rtl.cfgWrites: expected address,value pairs, got an odd count");
    for (std::size_t i = 0; i < writes.size(); i += 2) {
      if (writes[i] >= 4096 || writes[i + 1] > UINT32_MAX) throw ModelError("input: rtl.cfgWrites[" + std::to_string(i / 2) + "]: expected a 12-bit address and a 32-bit value");
      cfgWrites_.emplace_back(static_cast<std::uint32_t>(writes[i]), static_cast<std::uint32_t>(writes[i + 1]));
    }
    for (std::uint64_t v : cfg.list("tokens.ids")) {
      if (v > UINT32_MAX) throw ModelError("input: tokens.ids: expected 32-bit ids");
      ids_.push_back(static_cast<std::uint32_t>(v));
    }
    for (std::uint64_t v : cfg.list("tokens.first")) first_.push_back(v != 0 ? 1 : 0);
    if (first_.size() != ids_.size()) throw ModelError("input: tokens.first: expected one flag per id (" + std::to_string(ids_.size()) + "), got " + std::to_string(first_.size()));
    batchTokens_ = static_cast<std::size_t>(cfg.integer("tokens.batchTokens", 1, std::int64_t{1} << 40));
    tableBase_ = static_cast<std::uint64_t>(cfg.integer("table.baseBytes", 0, std::int64_t{1} << 52));
    rowBytes_ = static_cast<unsigned>(cfg.integer("rowBytes", 1, 1 << 20));
    prefetchPs_ = static_cast<Ps>(cfg.integer("prefetchPs", 0, std::int64_t{1} << 50, 0));
    dumpVectors_ = static_cast<std::size_t>(cfg.integer("dumpVectors", 0, std::int64_t{1} << 30, 0));
    queueLimit_ = static_cast<unsigned>(cfg.integer("rtl.portQueue", 1, 1 << 20, 2));
    tagBits_ = TAG_BITS;
    if (cfg.str("hbmCache.policy", "none") == "static") throw ModelError("input: hbmCache.policy: the token workload supports lru and lfu (a static cache needs a row profile)");
    place_ = std::make_unique<RowPlacement>(cfg, std::vector<std::vector<std::uint32_t>>{}, cxlBaseBytes);
    for (std::size_t i = 0; i < place_->kinds().size(); i++) {
      if (place_->kinds()[i] == "nvme") throw ModelError("input: tiers[" + std::to_string(i) + "]: the token workload (the RTL unit) reads host-dram and cxl tiers, got nvme");
    }
    tiers = place_->emptyStats(cfg.str("system"));
    responses_.resize(PORTS);

    dut_ = std::make_unique<Vengram_hash_gather>("dut");
    dut_->clk_i(clk_);
    dut_->rst_ni(rst_n_);
    dut_->cfg_we_i(cfg_we_);
    dut_->cfg_re_i(cfg_re_);
    dut_->cfg_addr_i(cfg_addr_);
    dut_->cfg_wdata_i(cfg_wdata_);
    dut_->cfg_rdata_o(cfg_rdata_);
    dut_->in_valid_i(in_valid_);
    dut_->in_ready_o(in_ready_);
    dut_->in_id_i(in_id_);
    dut_->in_first_i(in_first_);
    dut_->mem_req_valid_o(mem_req_valid_);
    dut_->mem_req_ready_i(mem_req_ready_);
    dut_->mem_req_addr_o(mem_req_addr_);
    dut_->mem_req_tag_o(mem_req_tag_);
    dut_->mem_rsp_valid_i(mem_rsp_valid_);
    dut_->mem_rsp_ready_o(mem_rsp_ready_);
    dut_->mem_rsp_tag_i(mem_rsp_tag_);
    dut_->mem_rsp_data_i(mem_rsp_data_);
    dut_->vec_valid_o(vec_valid_);
    dut_->vec_ready_i(vec_ready_);
    dut_->vec_data_o(vec_data_);
    dut_->vec_index_o(vec_index_);
    vec_ready_.write(true);

    SC_HAS_PROCESS(RtlUnit);
    SC_METHOD(onFallingEdge);
    sensitive << clk_.negedge_event();
    dont_initialize();
  } catch (const std::exception& e) {
    deferError(e.what());
  }
}

RtlUnit::~RtlUnit() = default;

void RtlUnit::onFallingEdge() {
  cycle_++;
  if (resetCycles_ < 2) {
    rst_n_.write(false);
    resetCycles_++;
    return;
  }
  rst_n_.write(true);
  if (cfgNext_ < cfgWrites_.size()) {
    cfg_we_.write(true);
    cfg_addr_.write(cfgWrites_[cfgNext_].first);
    cfg_wdata_.write(cfgWrites_[cfgNext_].second);
    cfgNext_++;
    return;
  }
  cfg_we_.write(false);
  const Ps now = nowPs();

  // Output vector: taken at the coming rising edge (vec_ready is always high).
  if (vec_valid_.read()) vectorTaken();

  // Batch control: a batch is one Engram layer's tokens with a barrier at the end, as the gather engine's.
  if (inBatch_ && produced_ == batchEnd_) {
    batchPs_.push_back(static_cast<double>(now - batchStart_));
    inBatch_ = false;
    place_->endBatch();
    nextBatchAt_ = std::max(now, batchStart_ + prefetchPs_);
    if (batchEnd_ == ids_.size()) {
      finished_ = true;
      sc_core::sc_stop();
      return;
    }
  }
  if (!inBatch_ && now >= nextBatchAt_ && tokenNext_ < ids_.size()) {
    inBatch_ = true;
    batchStart_ = now;
    batchEnd_ = std::min(ids_.size(), tokenNext_ + batchTokens_);
    batchCycles_.push_back(cycle_);
  }

  // Token stream: in_ready depends only on flops, so a token offered now while it is high is taken.
  if (inBatch_ && tokenNext_ < batchEnd_) {
    in_valid_.write(true);
    in_id_.write(ids_[tokenNext_]);
    in_first_.write(first_[tokenNext_] != 0);
    if (in_ready_.read()) tokenNext_++;
    else inputStallCycles_++;
  } else {
    in_valid_.write(false);
  }

  // Memory requests: accept on a port while its share of the adapter's queue has room.
  const std::uint32_t valid = mem_req_valid_.read();
  std::uint32_t ready = 0;
  const sc_dt::sc_bv<PORTS * 64> addrBus = mem_req_addr_.read();
  const std::uint32_t tagBus = mem_req_tag_.read();
  const std::size_t waiting = hbmQueue_.size() + linkQueue_.size();
  for (unsigned p = 0; p < PORTS; p++) {
    if (waiting >= static_cast<std::size_t>(queueLimit_) * PORTS) break;
    ready |= 1u << p;
    if (((valid >> p) & 1u) == 0) continue;
    std::uint64_t addr = addrBus.range(64 * p + 63, 64 * p).to_uint64();
    std::uint32_t tag = (tagBus >> (tagBits_ * p)) & ((1u << tagBits_) - 1);
    if (addr < tableBase_ || (addr - tableBase_) % rowBytes_ != 0) throw ModelError("rtl: request address " + std::to_string(addr) + " is not a row of the table at " + std::to_string(tableBase_));
    auto row = static_cast<std::uint32_t>((addr - tableBase_) / rowBytes_);
    unsigned tier;
    std::uint64_t target;
    place_->touch(row);
    if (place_->cached(row)) {
      tier = 0;
      target = place_->hbmAddress(row);
    } else {
      const unsigned t = place_->backingTier(row);
      tier = t + 1;
      target = place_->hostAddress(row, t);
    }
    std::uint32_t slot;
    if (freeReq_.empty()) { slot = static_cast<std::uint32_t>(req_.size()); req_.push_back({}); }
    else { slot = freeReq_.back(); freeReq_.pop_back(); }
    req_[slot] = MemRequest{p, tag, addr, tier, target, now};
    (tier == 0 ? hbmQueue_ : linkQueue_).push_back(slot);
    tiers[tier].lookups++;
    tiers[tier].fetches++;
    requests_++;
  }
  if (valid & ~ready) requestStallCycles_++;
  mem_req_ready_.write(ready);

  // Responses: one per port per cycle, always accepted by the unit.
  std::uint32_t rspValid = 0, rspTag = 0;
  sc_dt::sc_bv<PORTS * DATA_W> data;
  for (unsigned p = 0; p < PORTS; p++) {
    if (responses_[p].empty()) continue;
    Response r = responses_[p].front();
    responses_[p].pop_front();
    rspValid |= 1u << p;
    rspTag |= r.tag << (tagBits_ * p);
    for (unsigned w = 0; w < DATA_W / 32; w++) data.range(p * DATA_W + 32 * w + 31, p * DATA_W + 32 * w) = hg::row_word(r.addr, w);
    responsesPresented_++;
  }
  mem_rsp_valid_.write(rspValid);
  mem_rsp_tag_.write(rspTag);
  mem_rsp_data_.write(data);
  poke();
}

void RtlUnit::vectorTaken() {
  const sc_dt::sc_bv<NHEAD * DATA_W> data = vec_data_.read();
  const sc_dt::sc_bv<NHEAD * 32> index = vec_index_.read();
  const bool dump = produced_ < dumpVectors_;
  auto mix = [this](std::uint32_t v) {
    for (int b = 0; b < 4; b++) { digest_ ^= (v >> (8 * b)) & 0xffu; digest_ *= 1099511628211ull; }
  };
  for (unsigned h = 0; h < NHEAD; h++) {
    std::uint32_t ix = index.range(32 * h + 31, 32 * h).to_uint();
    mix(ix);
    if (dump) dumpIndices_.push_back(ix);
  }
  for (unsigned w = 0; w < NHEAD * DATA_W / 32; w++) {
    std::uint32_t v = data.range(32 * w + 31, 32 * w).to_uint();
    mix(v);
    if (dump) dumpData_.push_back(v);
  }
  produced_++;
}

void RtlUnit::pump() {
  issue(hbmQueue_, hbm, hbmWaiting_);
  issue(linkQueue_, link, linkWaiting_);
}

void RtlUnit::issue(std::deque<std::uint32_t>& queue, tlm_utils::simple_initiator_socket<RtlUnit>& socket, bool& waiting) {
  while (!waiting && !queue.empty()) {
    std::uint32_t slot = queue.front();
    tlm::tlm_generic_payload* trans = pool_.acquire(slot, req_[slot].target, rowBytes_, false);
    const bool taken = request(socket, *trans);
    queue.pop_front();
    if (!taken) { waiting = true; break; }
  }
}

tlm::tlm_sync_enum RtlUnit::bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time&) {
  std::uint64_t slot = PayloadPool::idOf(trans);
  if (phase == tlm::END_REQ) {
    (req_[slot].tier == 0 ? hbmWaiting_ : linkWaiting_) = false;
    poke();
    return tlm::TLM_ACCEPTED;
  }
  if (phase != tlm::BEGIN_RESP) throw ModelError(std::string(name()) + ": unexpected phase");
  trans.release();
  const MemRequest& r = req_[slot];
  tiers[r.tier].latencyPs.add(static_cast<double>(nowPs() - r.start));
  responses_[r.port].push_back(Response{r.tag, r.addr});
  freeReq_.push_back(static_cast<std::uint32_t>(slot));
  return tlm::TLM_COMPLETED;
}

void RtlUnit::handle(int, std::uint64_t, std::uint64_t) {}

void RtlUnit::writeResult(Json& j) const {
  if (!finished_) throw ModelError("rtl: the simulation stopped before every token's vector came out");
  j.num("tokens", static_cast<double>(ids_.size())).num("produced", static_cast<double>(produced_)).num("cycles", static_cast<double>(cycle_));
  j.num("clockPs", clk_.period().to_seconds() * 1e12).num("requests", static_cast<double>(requests_)).num("batches", static_cast<double>(batchPs_.size()));
  j.num("inputStallCycles", static_cast<double>(inputStallCycles_)).num("requestStallCycles", static_cast<double>(requestStallCycles_));
  char hex[20];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(digest_));
  j.str("vectorDigest", hex);
  j.beginArray("gatherPs");
  for (double v : batchPs_) j.value(v);
  j.endArray();
  j.beginArray("vectorIndices");
  for (std::uint32_t v : dumpIndices_) j.value(v);
  j.endArray();
  j.beginArray("vectorData");
  for (std::uint32_t v : dumpData_) j.value(v);
  j.endArray();
}

}  // namespace engram_sc
