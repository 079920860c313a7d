// DramTarget: see dram_target.h.
#include "dram_target.h"

#include <algorithm>
#include <limits>

namespace engram_sc {

namespace {
constexpr int E_DECIDE = 0;
constexpr int E_COMPLETE = 1;
constexpr double EPS_PS = 1e-3;
enum Field { F_CHANNEL, F_RANK, F_BANK_GROUP, F_BANK, F_ROW, F_COLUMN };

int fieldIndex(const std::string& name, const std::string& key) {
  static const char* names[] = {"channel", "rank", "bankGroup", "bank", "row", "column"};
  for (int i = 0; i < 6; i++) if (name == names[i]) return i;
  throw ModelError("input: " + key + ": expected a field among channel, rank, bankGroup, bank, row, column, got '" + name + "'");
}
}  // namespace

DramTarget::DramTarget(sc_core::sc_module_name name, const Config& cfg, const std::string& p) : Timeline(name), socket("socket") {
  try {
    socket.register_nb_transport_fw(this, &DramTarget::nb_transport_fw);
    presetName = cfg.str(p + "name");
    tCkPs = cfg.num(p + "tCkPs");
    peakBandwidthGBps = cfg.num(p + "peakBandwidthGBps");
    burstBytes = static_cast<unsigned>(cfg.integer(p + "burstBytes", 1, 1 << 16));
    channels_ = static_cast<unsigned>(cfg.integer(p + "channels", 1, 4096));
    ranks_ = static_cast<unsigned>(cfg.integer(p + "ranks", 1, 64));
    bankGroups_ = static_cast<unsigned>(cfg.integer(p + "bankGroups", 1, 64));
    banksPerGroup_ = static_cast<unsigned>(cfg.integer(p + "banksPerGroup", 1, 64));
    rows_ = static_cast<unsigned>(cfg.integer(p + "rows", 1, 1 << 30));
    columns_ = static_cast<unsigned>(cfg.integer(p + "columns", 1, 1 << 20));
    auto t = [&](const char* k) { return static_cast<std::int64_t>(cfg.integer(p + "timing." + k, 0, 1 << 24)); };
    tRcd_ = t("tRcdCycles"); tCl_ = t("tClCycles"); tRp_ = t("tRpCycles"); tRas_ = t("tRasCycles"); tRc_ = t("tRcCycles");
    tCcdS_ = t("tCcdSCycles"); tCcdL_ = t("tCcdLCycles"); tRrdS_ = t("tRrdSCycles"); tRrdL_ = t("tRrdLCycles");
    tFaw_ = t("tFawCycles"); tRtp_ = t("tRtpCycles"); burstCycles_ = t("burstCycles");
    actCycles_ = cfg.integer(p + "commandBus.actCycles", 1, 8);
    casCycles_ = cfg.integer(p + "commandBus.casCycles", 1, 8);
    queueDepth_ = static_cast<unsigned>(cfg.integer(p + "controller.queueDepth", 1, 1 << 16));
    rowHitCap_ = static_cast<unsigned>(cfg.integer(p + "controller.rowHitCap", 0, 1 << 16));
    std::string policy = cfg.str(p + "controller.pagePolicy");
    if (policy != "open" && policy != "closed") throw ModelError("input: " + p + "controller.pagePolicy: expected open or closed, got '" + policy + "'");
    closedPage_ = policy == "closed";

    // The address mapping: fields from low to high digits above the burst offset, "field:bits" takes part of
    // a field, a bare field takes the rest (src/memory/dram/addressMapping.ts; the preset was checked there).
    const std::uint64_t dims[6] = {channels_, ranks_, bankGroups_, banksPerGroup_, rows_, columns_};
    std::uint64_t explicitTaken[6] = {1, 1, 1, 1, 1, 1};
    std::vector<std::pair<int, int>> parsed;  // field, bits (-1: the rest)
    for (const std::string& entry : cfg.words(p + "addressMapping")) {
      auto colon = entry.find(':');
      int f = fieldIndex(entry.substr(0, colon), p + "addressMapping");
      int bits = colon == std::string::npos ? -1 : std::stoi(entry.substr(colon + 1));
      if (bits >= 0) explicitTaken[f] <<= bits;
      parsed.emplace_back(f, bits);
    }
    std::uint64_t weightSoFar[6] = {1, 1, 1, 1, 1, 1};
    for (auto [f, bits] : parsed) {
      std::uint64_t radix = bits < 0 ? dims[f] / explicitTaken[f] : (std::uint64_t{1} << bits);
      map_.push_back(MapPart{f, radix, weightSoFar[f]});
      weightSoFar[f] *= radix;
    }
    for (int f = 0; f < 6; f++) {
      if (weightSoFar[f] != dims[f]) throw ModelError("input: " + p + "addressMapping: field " + std::to_string(f) + " covers " + std::to_string(weightSoFar[f]) + " values, expected " + std::to_string(dims[f]));
    }

    // Refresh slices as src/memory/dram/refreshSchedule.ts: every bank of a rank, one bank index in every
    // bank group (DDR5 REFsb), or one bank (HBM REFpb); one slice every floor(tREFI / slices) cycles.
    const std::string scheme = cfg.str(p + "refresh.scheme");
    const unsigned banksPerRank = bankGroups_ * banksPerGroup_;
    if (scheme == "all-bank") {
      slices_.emplace_back();
      for (unsigned b = 0; b < banksPerRank; b++) slices_.back().push_back(b);
    } else if (scheme == "per-bank") {
      for (unsigned b = 0; b < banksPerRank; b++) slices_.push_back({b});
    } else if (scheme == "same-bank") {
      for (unsigned k = 0; k < banksPerGroup_; k++) {
        slices_.emplace_back();
        for (unsigned g = 0; g < bankGroups_; g++) slices_.back().push_back(g * banksPerGroup_ + k);
      }
    } else {
      throw ModelError("input: " + p + "refresh.scheme: expected all-bank, same-bank or per-bank, got '" + scheme + "'");
    }
    refreshInterval_ = t("tRefiCycles") / static_cast<std::int64_t>(slices_.size());
    tRfc_ = t("tRfcCycles");
    if (refreshInterval_ < 1) throw ModelError("input: " + p + "timing.tRefiCycles: expected at least one cycle per refresh slice");

    ch_.resize(channels_);
    const std::int64_t units = static_cast<std::int64_t>(channels_) * ranks_;
    for (std::size_t ci = 0; ci < ch_.size(); ci++) {
      auto& c = ch_[ci];
      for (unsigned r = 0; r < ranks_; r++) {
        // Staggered over one interval so channels and ranks do not all refresh in the same cycle.
        c.refreshDue.push_back(refreshInterval_ + refreshInterval_ * (static_cast<std::int64_t>(ci) * ranks_ + r) / units);
        c.refreshSlice.push_back(0);
      }
      c.banks.resize(static_cast<std::size_t>(ranks_) * bankGroups_ * banksPerGroup_);
      c.lastAct.assign(ranks_, -1000000);
      c.lastActBg.assign(ranks_, -1);
      c.actWindow.resize(ranks_);
    }
  } catch (const std::exception& e) {
    deferError(e.what());
  }
}

void DramTarget::decode(std::uint64_t x, std::uint32_t& channel, std::uint32_t& bank, std::uint32_t& row, std::uint32_t& rank, std::uint32_t& bg) const {
  std::uint64_t v[6] = {0, 0, 0, 0, 0, 0};
  for (const MapPart& m : map_) {
    v[m.field] += (x % m.radix) * m.weight;
    x /= m.radix;
  }
  // x > 0: beyond the capacity; the row digit wrapped, as in the TypeScript model.
  channel = static_cast<std::uint32_t>(v[F_CHANNEL]);
  rank = static_cast<std::uint32_t>(v[F_RANK]);
  bg = static_cast<std::uint32_t>(v[F_BANK_GROUP]);
  bank = static_cast<std::uint32_t>((v[F_RANK] * bankGroups_ + v[F_BANK_GROUP]) * banksPerGroup_ + v[F_BANK]);
  row = static_cast<std::uint32_t>(v[F_ROW]);
}

std::int64_t DramTarget::cycleNow() const {
  // The first command-clock edge at or after now (a request waits for the edge; shared with ClockCrossing).
  double ps = static_cast<double>(nowPs());
  auto c = static_cast<std::int64_t>(std::floor((ps + EPS_PS) / tCkPs));
  if (std::ceil(static_cast<double>(c) * tCkPs - EPS_PS) < ps) c++;
  return c;
}

tlm::tlm_sync_enum DramTarget::nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time&) {
  if (phase == tlm::END_RESP) return tlm::TLM_COMPLETED;
  if (phase != tlm::BEGIN_REQ) throw ModelError(std::string(name()) + ": unexpected phase on the forward path");
  if (trans.is_write()) throw ModelError(std::string(name()) + ": writes are not modelled (gathers only read)");
  if (waiting_ != nullptr) throw ModelError(std::string(name()) + ": BEGIN_REQ while a request waits for END_REQ (request exclusion rule)");
  if (accept(trans)) {
    phase = tlm::END_REQ;
    return tlm::TLM_UPDATED;
  }
  waiting_ = &trans;
  return tlm::TLM_ACCEPTED;
}

bool DramTarget::accept(tlm::tlm_generic_payload& trans) {
  std::uint64_t addr = trans.get_address();
  std::uint64_t first = addr / burstBytes;
  std::uint64_t n = (addr + trans.get_data_length() - 1) / burstBytes - first + 1;
  std::uint32_t c, b, r, rank, bg;
  // A channel with a free entry takes all of this request's bursts (src/memory/dram/dramDevice.ts).
  for (std::uint64_t i = 0; i < n; i++) {
    decode(first + i, c, b, r, rank, bg);
    if (ch_[c].queued >= queueDepth_) return false;
  }
  std::uint32_t slot;
  if (freeReq_.empty()) { slot = static_cast<std::uint32_t>(req_.size()); req_.push_back({}); }
  else { slot = freeReq_.back(); freeReq_.pop_back(); }
  req_[slot] = Request{&trans, static_cast<unsigned>(n), 0};
  trans.acquire();
  requests++;
  std::int64_t now = cycleNow();
  for (std::uint64_t i = 0; i < n; i++) {
    decode(first + i, c, b, r, rank, bg);
    std::uint32_t s;
    if (freeBursts_.empty()) { s = static_cast<std::uint32_t>(bursts_.size()); bursts_.push_back({}); }
    else { s = freeBursts_.back(); freeBursts_.pop_back(); }
    bursts_[s] = Burst{slot, b, r, seq_++};
    ch_[c].banks[b].queue.push_back(s);
    ch_[c].queued++;
    schedule(c, now);
  }
  return true;
}

void DramTarget::schedule(std::uint32_t c, std::int64_t cycle) {
  Channel& chan = ch_[c];
  if (chan.scheduled && chan.scheduledAt <= cycle) return;
  chan.scheduled = true;
  chan.scheduledAt = cycle;
  at(static_cast<Ps>(std::ceil(static_cast<double>(cycle) * tCkPs - EPS_PS)), E_DECIDE, c, static_cast<std::uint64_t>(cycle));
}

void DramTarget::handle(int type, std::uint64_t a, std::uint64_t b) {
  if (type == E_DECIDE) {
    Channel& chan = ch_[a];
    if (!chan.scheduled || chan.scheduledAt != static_cast<std::int64_t>(b)) return;  // superseded
    chan.scheduled = false;
    decide(static_cast<std::uint32_t>(a));
    return;
  }
  // E_COMPLETE: the request's last burst has crossed the data bus.
  Request& r = req_[a];
  tlm::tlm_generic_payload* trans = r.trans;
  freeReq_.push_back(static_cast<std::uint32_t>(a));
  respond(socket, *trans);
  trans->release();
}

void DramTarget::refresh(Channel& chan, std::int64_t t) {
  const std::uint32_t banksPerRank = bankGroups_ * banksPerGroup_;
  for (unsigned r = 0; r < ranks_; r++) {
    if (chan.refreshDue[r] > t) continue;
    // Refreshes that fell due while the channel idled are long over: only the latest can still hold a bank.
    const std::int64_t missed = (t - chan.refreshDue[r]) / refreshInterval_;
    chan.refreshDue[r] += missed * refreshInterval_;
    chan.refreshSlice[r] = static_cast<unsigned>((chan.refreshSlice[r] + missed) % slices_.size());
    const std::int64_t due = chan.refreshDue[r];
    // From its due cycle the slice takes no ACT; open banks precharge; REF issues once all are closed.
    std::int64_t ref = due;
    for (std::uint32_t b : slices_[chan.refreshSlice[r]]) {
      const Bank& bank = chan.banks[r * banksPerRank + b];
      ref = std::max(ref, bank.openRow >= 0 ? std::max(bank.preReady, due) + tRp_ : bank.actReady);
    }
    for (std::uint32_t b : slices_[chan.refreshSlice[r]]) {
      Bank& bank = chan.banks[r * banksPerRank + b];
      if (bank.openRow >= 0) precharges++;
      bank.openRow = -1;
      bank.actReady = std::max(bank.actReady, ref + tRfc_);
    }
    refreshes++;
    chan.refreshDue[r] = due + refreshInterval_;
    chan.refreshSlice[r] = static_cast<unsigned>((chan.refreshSlice[r] + 1) % slices_.size());
  }
}

void DramTarget::decide(std::uint32_t c) {
  Channel& chan = ch_[c];
  if (chan.queued == 0) return;
  const std::int64_t t = cycleNow();
  refresh(chan, t);
  constexpr std::int64_t NEVER = std::numeric_limits<std::int64_t>::max();
  enum Kind { NONE, COL, ACT, PRE };
  Kind bestKind = NONE;
  std::int64_t bestReady = NEVER;
  std::uint64_t bestSeq = 0;
  std::uint32_t bestBank = 0;
  std::size_t bestPos = 0;
  const std::uint32_t banksPerRank = bankGroups_ * banksPerGroup_;
  for (std::uint32_t bi = 0; bi < chan.banks.size(); bi++) {
    Bank& bank = chan.banks[bi];
    if (bank.queue.empty()) continue;
    const std::uint32_t rank = bi / banksPerRank;
    const std::uint32_t bg = (bi % banksPerRank) / banksPerGroup_;
    Kind kind;
    std::int64_t ready;
    std::uint64_t seq = bursts_[bank.queue.front()].seq;
    std::size_t pos = 0;
    if (bank.openRow >= 0) {
      std::size_t hit = bank.queue.size();
      for (std::size_t i = 0; i < bank.queue.size(); i++) {
        if (bursts_[bank.queue[i]].row == static_cast<std::uint32_t>(bank.openRow)) { hit = i; break; }
      }
      bool capped = rowHitCap_ > 0 && bank.hitsSinceAct >= rowHitCap_ && hit != 0;
      if (hit < bank.queue.size() && !capped) {
        kind = COL;
        pos = hit;
        seq = bursts_[bank.queue[hit]].seq;
        ready = std::max<std::int64_t>(bank.colReady, chan.cmdFree + casCycles_ - 1);
        if (chan.colLast > -1000000) ready = std::max(ready, chan.colLast + (static_cast<std::int64_t>(bg) == chan.colLastBg ? tCcdL_ : tCcdS_));
        ready = std::max(ready, chan.busFree - tCl_);
      } else {
        kind = PRE;
        ready = std::max<std::int64_t>(bank.preReady, chan.cmdFree);
      }
    } else {
      kind = ACT;
      ready = std::max<std::int64_t>(bank.actReady, chan.cmdFree + actCycles_ - 1);
      ready = std::max(ready, chan.lastAct[rank] + (static_cast<std::int64_t>(bg) == chan.lastActBg[rank] ? tRrdL_ : tRrdS_));
      if (chan.actWindow[rank].size() >= 4) ready = std::max(ready, chan.actWindow[rank].front() + tFaw_);
    }
    if (ready < t) ready = t;
    // Earliest first; at a tie a column command (a row hit) first, then the oldest request.
    bool better = ready < bestReady || (ready == bestReady && ((kind == COL) > (bestKind == COL) || ((kind == COL) == (bestKind == COL) && seq < bestSeq)));
    if (better) { bestKind = kind; bestReady = ready; bestSeq = seq; bestBank = bi; bestPos = pos; }
  }
  if (bestReady > t) {
    std::int64_t wake = bestReady;
    for (std::int64_t due : chan.refreshDue) wake = std::min(wake, std::max(due, t + 1));
    schedule(c, wake);
    return;
  }
  Bank& bank = chan.banks[bestBank];
  const std::uint32_t rank = bestBank / banksPerRank;
  const std::int64_t bg = (bestBank % banksPerRank) / banksPerGroup_;
  switch (bestKind) {
    case COL: {
      std::uint32_t s = bank.queue[bestPos];
      bank.queue.erase(bank.queue.begin() + static_cast<std::ptrdiff_t>(bestPos));
      chan.queued--;
      if (bank.hitsSinceAct > 0) rowHits++;
      bank.hitsSinceAct++;
      chan.colLast = t;
      chan.colLastBg = bg;
      bank.preReady = std::max(bank.preReady, t + tRtp_);
      const std::int64_t dataEnd = t + tCl_ + burstCycles_;
      chan.busFree = dataEnd;
      chan.cmdFree = t + 1;
      bursts++;
      Request& r = req_[bursts_[s].request];
      r.lastDataEnd = std::max(r.lastDataEnd, dataEnd);
      std::uint64_t reqSlot = bursts_[s].request;
      freeBursts_.push_back(s);
      if (--r.burstsLeft == 0) at(static_cast<Ps>(std::ceil(static_cast<double>(r.lastDataEnd) * tCkPs - EPS_PS)), E_COMPLETE, reqSlot);
      if (closedPage_ && std::none_of(bank.queue.begin(), bank.queue.end(), [&](std::uint32_t q) { return bursts_[q].row == static_cast<std::uint32_t>(bank.openRow); })) {
        // Auto-precharge after the read.
        std::int64_t pre = std::max(bank.preReady, t + tRtp_);
        bank.openRow = -1;
        bank.actReady = std::max(bank.actReady, pre + tRp_);
        precharges++;
      }
      // A queue entry is free: a refused request may fit now.
      if (waiting_ != nullptr && accept(*waiting_)) {
        tlm::tlm_generic_payload* w = waiting_;
        waiting_ = nullptr;
        acceptLate(socket, *w);
      }
      break;
    }
    case ACT: {
      bank.openRow = bursts_[bank.queue.front()].row;
      bank.actReady = t + tRc_;
      bank.colReady = t + tRcd_;
      bank.preReady = t + tRas_;
      bank.hitsSinceAct = 0;
      chan.lastAct[rank] = t;
      chan.lastActBg[rank] = bg;
      chan.actWindow[rank].push_back(t);
      if (chan.actWindow[rank].size() > 4) chan.actWindow[rank].pop_front();
      chan.cmdFree = t + 1;
      activates++;
      break;
    }
    case PRE:
      bank.openRow = -1;
      bank.actReady = std::max(bank.actReady, t + tRp_);
      chan.cmdFree = t + 1;
      precharges++;
      break;
    case NONE:
      return;
  }
  if (chan.queued > 0) schedule(c, t + 1);
}

}  // namespace engram_sc
