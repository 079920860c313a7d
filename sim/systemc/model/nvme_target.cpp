// NvmeTarget: see nvme_target.h.
#include "nvme_target.h"

#include <algorithm>

namespace engram_sc {

namespace {
constexpr int E_FETCHED = 0;
constexpr int E_SENSED = 1;
constexpr int E_ON_CONTROLLER = 2;
constexpr int E_DELIVERED = 3;
constexpr int E_COMPLETE = 4;
Ps ceilPs(double ps) { return static_cast<Ps>(std::ceil(ps)); }
}  // namespace

NvmeTarget::NvmeTarget(sc_core::sc_module_name name, const Config& cfg, const std::string& p) : Timeline(name), socket("socket") {
  socket.register_nb_transport_fw(this, &NvmeTarget::fw);
  try {
    presetName = cfg.str(p + "name");
    peakBandwidthGBps = cfg.num(p + "peakBandwidthGBps");
    pageBytes = static_cast<unsigned>(cfg.integer(p + "pageBytes", 512, 1 << 20));
    queueDepth_ = static_cast<unsigned>(cfg.integer(p + "queueDepth", 1, 1 << 20));
    submitPs_ = static_cast<Ps>(cfg.integer(p + "submitPs", 0, std::int64_t{1} << 40));
    completionPs_ = static_cast<Ps>(cfg.integer(p + "completionPs", 0, std::int64_t{1} << 40));
    commandPs_ = cfg.num(p + "commandPs");
    channels_ = static_cast<unsigned>(cfg.integer(p + "flash.channels", 1, 4096));
    dies_ = static_cast<unsigned>(cfg.integer(p + "flash.diesPerChannel", 1, 4096));
    planes_ = static_cast<unsigned>(cfg.integer(p + "flash.planesPerDie", 1, 64));
    readPs_ = cfg.num(p + "flash.readPs");
    psPerChannelByte_ = cfg.num(p + "flash.psPerChannelByte");
    ceilingPsPerPage_ = pageBytes * 1000.0 / cfg.num(p + "readBandwidthCeilingGBps");
    // Page wire bytes: payload plus TLP overhead per max-payload piece (src/memory/nvme/nvmePreset.ts).
    pageWireBytes_ = pageBytes + (pageBytes / cfg.num(p + "hostLink.maxPayloadBytes")) * cfg.num(p + "hostLink.tlpOverheadBytes");
    toHost = WireDirection{presetName + " to host", cfg.num(p + "hostLink.psPerWireByte")};
    planeFree_.assign(static_cast<std::size_t>(channels_) * dies_ * planes_, 0);
    channelFree_.assign(channels_, 0);
  } catch (const std::exception& e) {
    deferError(e.what());
  }
}

unsigned NvmeTarget::planeOf(std::uint64_t page) const {
  // Pages stripe over channels, then dies, then planes.
  const std::uint64_t channel = page % channels_;
  const std::uint64_t die = page / channels_ % dies_;
  const std::uint64_t plane = page / (static_cast<std::uint64_t>(channels_) * dies_) % planes_;
  return static_cast<unsigned>((channel * dies_ + die) * planes_ + plane);
}

tlm::tlm_sync_enum NvmeTarget::fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time&) {
  if (phase == tlm::END_RESP) return tlm::TLM_COMPLETED;
  if (phase != tlm::BEGIN_REQ) throw ModelError(std::string(name()) + ": unexpected phase");
  if (trans.is_write()) throw ModelError(std::string(name()) + ": writes are not modelled (gathers only read)");
  if (waiting_ != nullptr) throw ModelError(std::string(name()) + ": BEGIN_REQ while a request waits for END_REQ");
  if (take(trans)) {
    phase = tlm::END_REQ;
    return tlm::TLM_UPDATED;
  }
  waiting_ = &trans;
  return tlm::TLM_ACCEPTED;
}

bool NvmeTarget::take(tlm::tlm_generic_payload& trans) {
  if (outstanding_ >= queueDepth_) return false;
  const std::uint64_t addr = trans.get_address();
  const std::uint64_t first = addr / pageBytes;
  const auto pages = static_cast<unsigned>((addr + trans.get_data_length() - 1) / pageBytes - first + 1);
  std::uint32_t c;
  if (freeCmd_.empty()) { c = static_cast<std::uint32_t>(cmd_.size()); cmd_.push_back({}); }
  else { c = freeCmd_.back(); freeCmd_.pop_back(); }
  cmd_[c] = Command{&trans, first, pages, 0};
  trans.acquire();
  outstanding_++;
  commands++;
  // The controller fetches the submission entry after the doorbell.
  at(nowPs() + submitPs_, E_FETCHED, c);
  return true;
}

void NvmeTarget::handle(int type, std::uint64_t a, std::uint64_t b) {
  const double now = static_cast<double>(nowPs());
  switch (type) {
    case E_FETCHED: {
      // Front end at the IOPS ceiling, one command per commandPs in arrival order; each page senses on its plane.
      const double start = std::max(frontEndFree_, now);
      frontEndFree_ = start + commandPs_;
      const Command& c = cmd_[a];
      for (unsigned i = 0; i < c.pages; i++) {
        const unsigned plane = planeOf(c.firstPage + i);
        const double sense = std::max(planeFree_[plane], frontEndFree_);
        planeFree_[plane] = sense + readPs_;
        at(ceilPs(planeFree_[plane]), E_SENSED, a, i);
        pagesRead++;
      }
      break;
    }
    case E_SENSED: {
      // Out of the die over its channel bus, in the order pages finish sensing.
      const unsigned channel = static_cast<unsigned>((cmd_[a].firstPage + b) % channels_);
      channelFree_[channel] = std::max(channelFree_[channel], now) + pageBytes * psPerChannelByte_;
      at(ceilPs(channelFree_[channel]), E_ON_CONTROLLER, a, b);
      break;
    }
    case E_ON_CONTROLLER: {
      // The data path streams the page to the host link (cut-through): delivered when both its
      // bandwidth-ceiling slot and its TLPs have finished.
      const double start = std::max(dataPathFree_, now);
      dataPathFree_ = start + ceilingPsPerPage_;
      const double end = std::max(dataPathFree_, toHost.send(static_cast<Ps>(start), pageWireBytes_, pageBytes));
      at(ceilPs(end), E_DELIVERED, a);
      break;
    }
    case E_DELIVERED:
      if (++cmd_[a].pagesDone == cmd_[a].pages) at(nowPs() + completionPs_, E_COMPLETE, a);
      break;
    case E_COMPLETE: {
      tlm::tlm_generic_payload* t = cmd_[a].trans;
      freeCmd_.push_back(static_cast<std::uint32_t>(a));
      outstanding_--;
      respond(socket, *t);
      t->release();
      if (waiting_ != nullptr && take(*waiting_)) {
        tlm::tlm_generic_payload* w = waiting_;
        waiting_ = nullptr;
        acceptLate(socket, *w);
      }
      break;
    }
    default:
      throw ModelError(std::string(name()) + ": unknown event type");
  }
}

}  // namespace engram_sc
