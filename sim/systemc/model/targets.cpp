// HbmTarget and CxlTarget: see targets.h.
#include "targets.h"

#include <algorithm>

namespace engram_sc {

namespace {
constexpr double SECTOR_BYTES = 32;
Ps ceilPs(double ps) { return static_cast<Ps>(std::ceil(ps)); }
}  // namespace

HbmTarget::HbmTarget(sc_core::sc_module_name name, const Config& cfg) : Timeline(name), socket("socket") {
  try {
    socket.register_nb_transport_fw(this, &HbmTarget::fw);
    bandwidthGBps = cfg.num("hbm.bandwidthGBps");
    if (!(bandwidthGBps > 0)) throw ModelError("input: hbm.bandwidthGBps: expected a positive number");
    psPerByte_ = 1000.0 / bandwidthGBps;
    latencyPs_ = static_cast<Ps>(cfg.integer("hbm.hitLatencyPs", 0, std::int64_t{1} << 40));
  } catch (const std::exception& e) {
    deferError(e.what());
  }
}

tlm::tlm_sync_enum HbmTarget::fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time&) {
  if (phase == tlm::END_RESP) return tlm::TLM_COMPLETED;
  if (phase != tlm::BEGIN_REQ) throw ModelError(std::string(name()) + ": unexpected phase");
  std::uint64_t addr = trans.get_address();
  double first = std::floor(static_cast<double>(addr) / SECTOR_BYTES);
  double bytes = (std::floor(static_cast<double>(addr + trans.get_data_length() - 1) / SECTOR_BYTES) - first + 1) * SECTOR_BYTES;
  double now = static_cast<double>(nowPs());
  double start = freeAtPs_ > now ? freeAtPs_ : now;
  freeAtPs_ = start + bytes * psPerByte_;
  busyPs += bytes * psPerByte_;
  busBytes += bytes;
  requests++;
  trans.acquire();
  std::uint32_t slot;
  if (freeSlots_.empty()) { slot = static_cast<std::uint32_t>(inFlight_.size()); inFlight_.push_back(nullptr); }
  else { slot = freeSlots_.back(); freeSlots_.pop_back(); }
  inFlight_[slot] = &trans;
  at(ceilPs(freeAtPs_) + latencyPs_, 0, slot);
  phase = tlm::END_REQ;
  return tlm::TLM_UPDATED;
}

void HbmTarget::handle(int, std::uint64_t a, std::uint64_t) {
  tlm::tlm_generic_payload* t = inFlight_[a];
  freeSlots_.push_back(static_cast<std::uint32_t>(a));
  respond(socket, *t);
  t->release();
}

namespace {
constexpr int E_AT_DEVICE = 0;
constexpr int E_RESPOND = 1;
constexpr int E_AT_HOST = 2;
constexpr int E_CREDIT = 3;
}  // namespace

CxlTarget::CxlTarget(sc_core::sc_module_name name, const Config& cfg, const std::string& p) : Timeline(name), socket("socket"), media("media") {
  try {
    socket.register_nb_transport_fw(this, &CxlTarget::fw);
    media.register_nb_transport_bw(this, &CxlTarget::media_bw);
    presetName = cfg.str(p + "name");
    peakBandwidthGBps = cfg.num(p + "peakBandwidthGBps");
    double ps = cfg.num(p + "psPerWireByte");
    m2s = WireDirection{presetName + " M2S", ps};
    s2m = WireDirection{presetName + " S2M", ps};
    lineBytes_ = static_cast<unsigned>(cfg.integer(p + "flit.lineBytes", 16, 4096));
    double flitBytes = cfg.num(p + "flit.flitBytes");
    double slotsPerFlit = cfg.num(p + "flit.slotsPerFlit");
    double slotBytes = cfg.num(p + "flit.slotBytes");
    // Slots of a message: its data slots plus a share of a header slot (src/memory/link/cxlPreset.ts).
    auto wire = [&](double dataSlots, double headersPerSlot) { return (dataSlots + 1.0 / headersPerSlot) * flitBytes / slotsPerFlit; };
    reqWire_ = wire(0, cfg.num(p + "flit.readRequestsPerSlot"));
    drsWire_ = wire(lineBytes_ / slotBytes, cfg.num(p + "flit.dataHeadersPerSlot"));
    hostPortPs_ = static_cast<Ps>(cfg.integer(p + "latencyPs.hostPort", 0, std::int64_t{1} << 40));
    devicePortPs_ = static_cast<Ps>(cfg.integer(p + "latencyPs.devicePort", 0, std::int64_t{1} << 40));
    ctrlInPs_ = static_cast<Ps>(cfg.integer(p + "latencyPs.controllerInbound", 0, std::int64_t{1} << 40));
    ctrlOutPs_ = static_cast<Ps>(cfg.integer(p + "latencyPs.controllerOutbound", 0, std::int64_t{1} << 40));
    trackers_ = static_cast<unsigned>(cfg.integer(p + "queues.hostTrackerEntries", 1, 1 << 20));
    trackersFree_ = trackers_;
    credits_ = static_cast<unsigned>(cfg.integer(p + "queues.deviceRequestCredits", 1, 1 << 20));
  } catch (const std::exception& e) {
    deferError(e.what());
  }
}

tlm::tlm_sync_enum CxlTarget::fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time&) {
  if (phase == tlm::END_RESP) return tlm::TLM_COMPLETED;
  if (phase != tlm::BEGIN_REQ) throw ModelError(std::string(name()) + ": unexpected phase");
  if (trans.is_write()) throw ModelError(std::string(name()) + ": writes are not modelled (gathers only read)");
  if (hostWaiting_ != nullptr) throw ModelError(std::string(name()) + ": BEGIN_REQ while a request waits for END_REQ");
  if (take(trans)) {
    phase = tlm::END_REQ;
    return tlm::TLM_UPDATED;
  }
  hostWaiting_ = &trans;
  return tlm::TLM_ACCEPTED;
}

bool CxlTarget::take(tlm::tlm_generic_payload& trans) {
  if (pending_.size() >= trackers_) return false;
  std::uint64_t addr = trans.get_address();
  std::uint64_t first = addr / lineBytes_;
  auto n = static_cast<unsigned>((addr + trans.get_data_length() - 1) / lineBytes_ - first + 1);
  std::uint32_t parent;
  if (freeParent_.empty()) { parent = static_cast<std::uint32_t>(parent_.size()); parent_.push_back({}); }
  else { parent = freeParent_.back(); freeParent_.pop_back(); }
  parent_[parent] = Parent{&trans, n};
  trans.acquire();
  for (unsigned i = 0; i < n; i++) {
    std::uint32_t slot;
    if (freeLine_.empty()) { slot = static_cast<std::uint32_t>(line_.size()); line_.push_back({}); }
    else { slot = freeLine_.back(); freeLine_.pop_back(); }
    line_[slot] = Line{parent, (first + i) * lineBytes_};
    pending_.push_back(slot);
  }
  requests++;
  poke();
  return true;
}

void CxlTarget::pump() {
  // Requests waiting in the device go to the media controller; each one taken returns a credit.
  while (mediaWaiting_ == nullptr && !mediaQueue_.empty()) {
    std::uint32_t slot = mediaQueue_.front();
    tlm::tlm_generic_payload* t = pool_.acquire(slot, line_[slot].addr, lineBytes_, false);
    const bool taken = request(media, *t);
    mediaQueue_.pop_front();
    if (!taken) { mediaWaiting_ = t; break; }
    at(nowPs() + devicePortPs_ + hostPortPs_, E_CREDIT, 0);
  }
  while (!pending_.empty() && trackersFree_ > 0 && credits_ > 0) {
    std::uint32_t slot = pending_.front();
    pending_.pop_front();
    trackersFree_--;
    credits_--;
    double done = m2s.send(nowPs(), reqWire_, 0);
    at(ceilPs(done) + hostPortPs_ + devicePortPs_ + ctrlInPs_, E_AT_DEVICE, slot);
  }
  if (hostWaiting_ != nullptr && take(*hostWaiting_)) {
    tlm::tlm_generic_payload* w = hostWaiting_;
    hostWaiting_ = nullptr;
    acceptLate(socket, *w);
  }
}

void CxlTarget::handle(int type, std::uint64_t a, std::uint64_t) {
  Ps now = nowPs();
  switch (type) {
    case E_AT_DEVICE:
      mediaQueue_.push_back(static_cast<std::uint32_t>(a));
      break;
    case E_RESPOND: {
      double done = s2m.send(now, drsWire_, lineBytes_);
      at(ceilPs(done) + devicePortPs_ + hostPortPs_, E_AT_HOST, a);
      break;
    }
    case E_AT_HOST: {
      trackersFree_++;
      lines++;
      std::uint32_t parentIndex = line_[a].parent;
      freeLine_.push_back(static_cast<std::uint32_t>(a));
      Parent& par = parent_[parentIndex];
      if (--par.linesLeft == 0) {
        tlm::tlm_generic_payload* t = par.trans;
        freeParent_.push_back(parentIndex);
        respond(socket, *t);
        t->release();
      }
      break;
    }
    case E_CREDIT:
      credits_++;
      break;
    default:
      throw ModelError(std::string(name()) + ": unknown event type");
  }
}

tlm::tlm_sync_enum CxlTarget::media_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time&) {
  if (phase == tlm::END_REQ) {
    mediaWaiting_ = nullptr;
    at(nowPs() + devicePortPs_ + hostPortPs_, E_CREDIT, 0);
    poke();
    return tlm::TLM_ACCEPTED;
  }
  if (phase != tlm::BEGIN_RESP) throw ModelError(std::string(name()) + ": unexpected phase from media");
  at(nowPs() + ctrlOutPs_, E_RESPOND, PayloadPool::idOf(trans));
  trans.release();
  return tlm::TLM_COMPLETED;
}

}  // namespace engram_sc
