// The GPU's PCIe link to the root complex, as a TLM-2.0 interconnect (approximately timed): zero-copy
// reads from the GPU are cut into pieces at requester.zeroCopyReadBytes, each a read-request TLP that
// needs a tag, a root-port non-posted credit and completion-buffer space; the request crosses the
// upstream wire (framing + header + LCRC at the 128b/130b byte time), the link and the root complex,
// then reads host memory (DRAM below cxlBaseBytes, CXL above) through an initiator socket; completions
// cut at completionBytes return in address order over the downstream wire. Ack and UpdateFC DLLPs take
// their share of the opposite direction. Same mechanisms as src/memory/link/pcieLinkDevice.ts, written
// independently as SystemC processes.
#pragma once
#include <deque>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "common.h"

namespace engram_sc {

class PcieLink : public Timeline {
 public:
  tlm_utils::simple_target_socket<PcieLink> gpu;             // from the gather engine
  tlm_utils::simple_initiator_socket<PcieLink> hostMemory;   // root complex -> host DRAM
  tlm_utils::simple_initiator_socket<PcieLink> cxlMemory;    // root complex -> CXL expander (bound only with a CXL tier)
  tlm_utils::simple_target_socket<PcieLink> peer;            // a peer's posted writes to the GPU (GPUDirect Storage)

  PcieLink(sc_core::sc_module_name name, const Config& cfg, const std::string& prefix, std::uint64_t cxlBaseBytes);

  std::string presetName;
  WireDirection upstream, downstream;
  std::uint64_t requests = 0, pieces = 0, tagWaits = 0, maxTagsInUse = 0;
  double payloadBytes = 0;

 private:
  struct Piece {
    std::uint32_t parent;
    std::uint64_t start, end;  // DWORD-aligned byte range
    unsigned chunks, nextToSend, arrived;
    std::vector<bool> ready;
  };
  struct Parent {
    tlm::tlm_generic_payload* trans;
    unsigned piecesLeft;
  };

  tlm::tlm_sync_enum gpu_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
  tlm::tlm_sync_enum peer_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
  tlm::tlm_sync_enum memory_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
  void handle(int type, std::uint64_t a, std::uint64_t b) override;
  void pump() override;
  bool take(tlm::tlm_generic_payload& trans);
  bool canSend(std::uint32_t slot) const;
  void sendPending();
  void forwardToMemory();
  double tlpWire(double header, double payload) const { return framing_ + header + payload + lcrc_ + ecrc_; }
  std::uint64_t chunkFrom(const Piece& p, unsigned chunk) const;
  unsigned chunkBytes(const Piece& p, unsigned chunk) const;

  // Preset figures.
  double framing_, readHeader_, writeHeader_, cplHeader_, lcrc_, ecrc_, dllpBytes_;
  unsigned ackEvery_, fcEvery_, pieceBytes_, completionBytes_, tags_, maxPayload_;
  std::uint64_t bufferBytes_;
  unsigned npCreditsMax_;
  Ps linkPs_, rcInPs_, rcOutPs_, requesterPs_;
  std::uint64_t cxlBase_;

  PayloadPool pool_;
  std::vector<Piece> piece_;
  std::vector<std::uint32_t> freePiece_;
  std::vector<Parent> parent_;
  std::vector<std::uint32_t> freeParent_;
  std::deque<std::uint32_t> pending_;          // pieces waiting for a tag, credit and buffer space
  std::deque<std::uint64_t> rcQueue_;          // root-complex accesses not yet taken by memory: slot << 8 | chunk
  tlm::tlm_generic_payload* memWaiting_ = nullptr;  // an access memory has not accepted yet (END_REQ pending)
  tlm::tlm_generic_payload* gpuWaiting_ = nullptr;  // a GPU request refused for want of requester queue room
  std::vector<tlm::tlm_generic_payload*> peerWrites_;
  std::vector<std::uint32_t> freePeer_;
  unsigned tagsFree_, npCredits_;
  std::uint64_t bufferFree_;
  unsigned rcAckCount_ = 0, rcFcCount_ = 0, reqAckCount_ = 0;
};

}  // namespace engram_sc
