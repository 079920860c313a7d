// PcieLink: see pcie_link.h.
#include "pcie_link.h"

#include <algorithm>

namespace engram_sc {

namespace {
constexpr int E_RC_FORWARD = 0;
constexpr int E_CPL_SEND = 1;
constexpr int E_CPL_ARRIVE = 2;
constexpr int E_PIECE_DONE = 3;
constexpr int E_NP_CREDIT = 4;
constexpr int E_PEER_SEND = 5;
constexpr int E_PEER_DONE = 6;
constexpr unsigned CHUNK_BITS = 8;
Ps ceilPs(double ps) { return static_cast<Ps>(std::ceil(ps)); }
}  // namespace

PcieLink::PcieLink(sc_core::sc_module_name name, const Config& cfg, const std::string& p, std::uint64_t cxlBaseBytes)
    : Timeline(name), gpu("gpu"), hostMemory("hostMemory"), cxlMemory("cxlMemory"), peer("peer"), cxlBase_(cxlBaseBytes) {
  try {
    gpu.register_nb_transport_fw(this, &PcieLink::gpu_fw);
    peer.register_nb_transport_fw(this, &PcieLink::peer_fw);
    hostMemory.register_nb_transport_bw(this, &PcieLink::memory_bw);
    cxlMemory.register_nb_transport_bw(this, &PcieLink::memory_bw);
    presetName = cfg.str(p + "name");
    double ps = cfg.num(p + "psPerWireByte");
    upstream = WireDirection{presetName + " upstream", ps};
    downstream = WireDirection{presetName + " downstream", ps};
    framing_ = cfg.num(p + "tlp.framingBytes");
    readHeader_ = cfg.num(p + "tlp.memoryReadHeaderBytes");
    writeHeader_ = cfg.num(p + "tlp.memoryWriteHeaderBytes");
    maxPayload_ = static_cast<unsigned>(cfg.integer(p + "transfer.maxPayloadBytes", 4, 4096));
    cplHeader_ = cfg.num(p + "tlp.completionHeaderBytes");
    lcrc_ = cfg.num(p + "tlp.lcrcBytes");
    ecrc_ = cfg.num(p + "tlp.ecrcBytes");
    dllpBytes_ = cfg.num(p + "dllp.bytes");
    ackEvery_ = static_cast<unsigned>(cfg.integer(p + "dllp.ackEveryTlps", 1, 4096));
    fcEvery_ = static_cast<unsigned>(cfg.integer(p + "dllp.updateFcEveryTlps", 1, 4096));
    pieceBytes_ = static_cast<unsigned>(cfg.integer(p + "requester.zeroCopyReadBytes", 4, 4096));
    completionBytes_ = static_cast<unsigned>(cfg.integer(p + "transfer.completionBytes", 4, 4096));
    unsigned mrrs = static_cast<unsigned>(cfg.integer(p + "transfer.maxReadRequestBytes", 4, 4096));
    if ((mrrs + completionBytes_ - 1) / completionBytes_ + 1 >= (1u << CHUNK_BITS)) throw ModelError("input: " + p + "transfer.completionBytes: too small for the read request size");
    tags_ = static_cast<unsigned>(cfg.integer(p + "requester.tags", 1, 1 << 16));
    bufferBytes_ = static_cast<std::uint64_t>(cfg.integer(p + "requester.completionBufferBytes", 4, std::int64_t{1} << 40));
    npCreditsMax_ = static_cast<unsigned>(cfg.integer(p + "rootComplex.nonPostedCredits", 1, 1 << 16));
    linkPs_ = static_cast<Ps>(cfg.integer(p + "latencyPs.link", 0, std::int64_t{1} << 40));
    rcInPs_ = static_cast<Ps>(cfg.integer(p + "latencyPs.rootComplexInbound", 0, std::int64_t{1} << 40));
    rcOutPs_ = static_cast<Ps>(cfg.integer(p + "latencyPs.rootComplexOutbound", 0, std::int64_t{1} << 40));
    requesterPs_ = static_cast<Ps>(cfg.integer(p + "latencyPs.requesterInternal", 0, std::int64_t{1} << 40));
    tagsFree_ = tags_;
    npCredits_ = npCreditsMax_;
    bufferFree_ = bufferBytes_;
  } catch (const std::exception& e) {
    deferError(e.what());
  }
}

tlm::tlm_sync_enum PcieLink::gpu_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time&) {
  if (phase == tlm::END_RESP) return tlm::TLM_COMPLETED;
  if (phase != tlm::BEGIN_REQ) throw ModelError(std::string(name()) + ": unexpected phase from the GPU");
  if (trans.is_write()) throw ModelError(std::string(name()) + ": GPU writes over the link are not modelled (zero-copy gathers only read)");
  if (gpuWaiting_ != nullptr) throw ModelError(std::string(name()) + ": BEGIN_REQ while a request waits for END_REQ (request exclusion rule)");
  if (take(trans)) {
    phase = tlm::END_REQ;
    return tlm::TLM_UPDATED;
  }
  gpuWaiting_ = &trans;
  return tlm::TLM_ACCEPTED;
}

bool PcieLink::take(tlm::tlm_generic_payload& trans) {
  // The requester queue is as deep as the tag pool; a request is taken whole while it has room.
  if (pending_.size() >= tags_) return false;
  std::uint64_t addr = trans.get_address();
  std::uint64_t bytes = trans.get_data_length();
  std::uint32_t parent;
  if (freeParent_.empty()) { parent = static_cast<std::uint32_t>(parent_.size()); parent_.push_back({}); }
  else { parent = freeParent_.back(); freeParent_.pop_back(); }
  trans.acquire();
  unsigned n = 0;
  for (std::uint64_t at = addr; at < addr + bytes;) {
    std::uint64_t cut = std::min<std::uint64_t>(addr + bytes, (at / pieceBytes_ + 1) * pieceBytes_);
    std::uint32_t slot;
    if (freePiece_.empty()) { slot = static_cast<std::uint32_t>(piece_.size()); piece_.push_back({}); }
    else { slot = freePiece_.back(); freePiece_.pop_back(); }
    Piece& pc = piece_[slot];
    pc.parent = parent;
    pc.start = at / 4 * 4;
    pc.end = (cut + 3) / 4 * 4;
    pc.chunks = static_cast<unsigned>((pc.end + completionBytes_ - 1) / completionBytes_ - pc.start / completionBytes_);
    pc.nextToSend = 0;
    pc.arrived = 0;
    pc.ready.assign(pc.chunks, false);
    pending_.push_back(slot);
    n++;
    at = cut;
  }
  parent_[parent] = Parent{&trans, n};
  requests++;
  pieces += n;
  poke();
  return true;
}

bool PcieLink::canSend(std::uint32_t slot) const {
  const Piece& p = piece_[slot];
  return tagsFree_ > 0 && npCredits_ > 0 && bufferFree_ >= p.end - p.start;
}

void PcieLink::pump() {
  forwardToMemory();
  sendPending();
  if (gpuWaiting_ != nullptr && take(*gpuWaiting_)) {
    tlm::tlm_generic_payload* w = gpuWaiting_;
    gpuWaiting_ = nullptr;
    acceptLate(gpu, *w);
  }
}

void PcieLink::sendPending() {
  while (!pending_.empty()) {
    std::uint32_t slot = pending_.front();
    if (!canSend(slot)) {
      if (tagsFree_ == 0) tagWaits++;
      break;
    }
    pending_.pop_front();
    const Piece& p = piece_[slot];
    tagsFree_--;
    npCredits_--;
    bufferFree_ -= p.end - p.start;
    maxTagsInUse = std::max<std::uint64_t>(maxTagsInUse, tags_ - tagsFree_);
    double done = upstream.send(nowPs(), tlpWire(readHeader_, 0), 0);
    at(ceilPs(done) + linkPs_ + rcInPs_, E_RC_FORWARD, slot);
  }
}

std::uint64_t PcieLink::chunkFrom(const Piece& p, unsigned chunk) const {
  return std::max<std::uint64_t>(p.start, (p.start / completionBytes_ + chunk) * completionBytes_);
}

unsigned PcieLink::chunkBytes(const Piece& p, unsigned chunk) const {
  return static_cast<unsigned>(std::min<std::uint64_t>(p.end, (p.start / completionBytes_ + chunk + 1) * completionBytes_) - chunkFrom(p, chunk));
}

void PcieLink::handle(int type, std::uint64_t a, std::uint64_t) {
  Ps now = nowPs();
  switch (type) {
    case E_RC_FORWARD: {
      // The root port has the TLP: Ack it, then queue its memory accesses.
      if (++rcAckCount_ == ackEvery_) { rcAckCount_ = 0; downstream.send(now, dllpBytes_, 0); }
      for (unsigned c = 0; c < piece_[a].chunks; c++) rcQueue_.push_back(a << CHUNK_BITS | c);
      break;
    }
    case E_CPL_SEND: {
      std::uint64_t slot = a >> CHUNK_BITS;
      Piece& p = piece_[slot];
      p.ready[a & ((1u << CHUNK_BITS) - 1)] = true;
      // Completions of one request leave in address order.
      while (p.nextToSend < p.chunks && p.ready[p.nextToSend]) {
        unsigned bytes = chunkBytes(p, p.nextToSend);
        double done = downstream.send(now, tlpWire(cplHeader_, bytes), bytes);
        at(ceilPs(done) + linkPs_, E_CPL_ARRIVE, slot << CHUNK_BITS | p.nextToSend);
        p.nextToSend++;
      }
      break;
    }
    case E_CPL_ARRIVE: {
      std::uint64_t slot = a >> CHUNK_BITS;
      Piece& p = piece_[slot];
      unsigned bytes = chunkBytes(p, static_cast<unsigned>(a & ((1u << CHUNK_BITS) - 1)));
      bufferFree_ += bytes;
      payloadBytes += bytes;
      if (++reqAckCount_ == ackEvery_) { reqAckCount_ = 0; upstream.send(now, dllpBytes_, 0); }
      if (++p.arrived == p.chunks) {
        tagsFree_++;
        at(now + requesterPs_, E_PIECE_DONE, slot);
      }
      break;
    }
    case E_PIECE_DONE: {
      std::uint32_t parentIndex = piece_[a].parent;
      Parent& par = parent_[parentIndex];
      freePiece_.push_back(static_cast<std::uint32_t>(a));
      if (--par.piecesLeft == 0) {
        tlm::tlm_generic_payload* trans = par.trans;
        freeParent_.push_back(parentIndex);
        respond(gpu, *trans);
        trans->release();
      }
      break;
    }
    case E_NP_CREDIT:
      npCredits_++;
      break;
    case E_PEER_SEND: {
      // MWr TLPs cut at max-payload-aligned boundaries, on the direction the GPU's completions use.
      tlm::tlm_generic_payload& w = *peerWrites_[a];
      const std::uint64_t addr = w.get_address();
      const std::uint64_t bytes = w.get_data_length();
      double end = static_cast<double>(now);
      for (std::uint64_t at = addr; at < addr + bytes;) {
        const std::uint64_t cut = std::min<std::uint64_t>(addr + bytes, (at / maxPayload_ + 1) * maxPayload_);
        const double payload = static_cast<double>((cut - at + 3) / 4 * 4);
        end = downstream.send(now, tlpWire(writeHeader_, payload), payload);
        at = cut;
      }
      this->at(ceilPs(end) + linkPs_, E_PEER_DONE, a);
      break;
    }
    case E_PEER_DONE: {
      tlm::tlm_generic_payload* w = peerWrites_[a];
      freePeer_.push_back(static_cast<std::uint32_t>(a));
      respond(peer, *w);
      w->release();
      break;
    }
    default:
      throw ModelError(std::string(name()) + ": unknown event type");
  }
}

void PcieLink::forwardToMemory() {
  // Head of line: memory takes accesses in arrival order; one that is refused waits for END_REQ.
  while (memWaiting_ == nullptr && !rcQueue_.empty()) {
    std::uint64_t key = rcQueue_.front();
    const Piece& p = piece_[key >> CHUNK_BITS];
    unsigned chunk = static_cast<unsigned>(key & ((1u << CHUNK_BITS) - 1));
    std::uint64_t from = chunkFrom(p, chunk);
    bool cxl = from >= cxlBase_;
    tlm::tlm_generic_payload* t = pool_.acquire(key, cxl ? from - cxlBase_ : from, chunkBytes(p, chunk), false);
    const bool taken = cxl ? request(cxlMemory, *t) : request(hostMemory, *t);
    rcQueue_.pop_front();
    bool last = chunk == p.chunks - 1;
    if (!taken) {
      memWaiting_ = t;
      // The credit returns when memory takes the access (memory_bw END_REQ).
      return;
    }
    if (last) {
      if (++rcFcCount_ == fcEvery_) { rcFcCount_ = 0; downstream.send(nowPs(), dllpBytes_, 0); }
      at(nowPs() + linkPs_, E_NP_CREDIT, 0);
    }
  }
}

tlm::tlm_sync_enum PcieLink::peer_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time&) {
  if (phase == tlm::END_RESP) return tlm::TLM_COMPLETED;
  if (phase != tlm::BEGIN_REQ || !trans.is_write()) throw ModelError(std::string(name()) + ": the peer port carries posted writes only");
  // Posted: never refused; the write reaches the link after the root complex has routed it.
  std::uint32_t slot;
  if (freePeer_.empty()) { slot = static_cast<std::uint32_t>(peerWrites_.size()); peerWrites_.push_back(nullptr); }
  else { slot = freePeer_.back(); freePeer_.pop_back(); }
  peerWrites_[slot] = &trans;
  trans.acquire();
  at(nowPs() + rcOutPs_, E_PEER_SEND, slot);
  phase = tlm::END_REQ;
  return tlm::TLM_UPDATED;
}

tlm::tlm_sync_enum PcieLink::memory_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time&) {
  std::uint64_t key = PayloadPool::idOf(trans);
  if (phase == tlm::END_REQ) {
    // Memory took the access it had refused: its credit returns if it was the piece's last.
    memWaiting_ = nullptr;
    const Piece& p = piece_[key >> CHUNK_BITS];
    if ((key & ((1u << CHUNK_BITS) - 1)) == p.chunks - 1) {
      if (++rcFcCount_ == fcEvery_) { rcFcCount_ = 0; downstream.send(nowPs(), dllpBytes_, 0); }
      at(nowPs() + linkPs_, E_NP_CREDIT, 0);
    }
    poke();
    return tlm::TLM_ACCEPTED;
  }
  if (phase != tlm::BEGIN_RESP) throw ModelError(std::string(name()) + ": unexpected phase from memory");
  at(nowPs() + rcOutPs_, E_CPL_SEND, key);
  trans.release();
  return tlm::TLM_COMPLETED;
}

}  // namespace engram_sc
