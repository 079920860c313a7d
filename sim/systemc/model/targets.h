// The GPU's HBM as a latency-bandwidth server, and a CXL 2.0 Type-3 memory expander, both behind TLM-2.0
// target sockets (approximately timed, base protocol).
#pragma once
#include <deque>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "common.h"

namespace engram_sc {

/**
 * HBM hits: served first come, first served at the target's HBM bandwidth in whole 32-byte sectors, each
 * completing hitLatencyPs after its data has streamed (src/memory/hierarchy/hbmServer.ts). Never refuses.
 */
class HbmTarget : public Timeline {
 public:
  tlm_utils::simple_target_socket<HbmTarget> socket;
  HbmTarget(sc_core::sc_module_name name, const Config& cfg);
  double bandwidthGBps;
  double busBytes = 0, busyPs = 0;
  std::uint64_t requests = 0;

 private:
  tlm::tlm_sync_enum fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
  void handle(int type, std::uint64_t a, std::uint64_t b) override;
  double psPerByte_, freeAtPs_ = 0;
  Ps latencyPs_;
  std::vector<tlm::tlm_generic_payload*> inFlight_;
  std::vector<std::uint32_t> freeSlots_;
};

/**
 * A CXL 2.0 Type-3 expander as the host's home agent sees it: 64-byte M2S read requests and S2M data
 * responses in 68-byte flits of 16-byte slots (fluid slot packing), host trackers and device request
 * credits, port and controller latencies, and DRAM media behind an initiator socket.
 */
class CxlTarget : public Timeline {
 public:
  tlm_utils::simple_target_socket<CxlTarget> socket;
  tlm_utils::simple_initiator_socket<CxlTarget> media;
  CxlTarget(sc_core::sc_module_name name, const Config& cfg, const std::string& prefix);
  std::string presetName;
  double peakBandwidthGBps;
  WireDirection m2s, s2m;
  std::uint64_t requests = 0, lines = 0;

 private:
  struct Line { std::uint32_t parent; std::uint64_t addr; };
  struct Parent { tlm::tlm_generic_payload* trans; unsigned linesLeft; };
  tlm::tlm_sync_enum fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
  tlm::tlm_sync_enum media_bw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
  void handle(int type, std::uint64_t a, std::uint64_t b) override;
  void pump() override;
  bool take(tlm::tlm_generic_payload& trans);

  unsigned lineBytes_, trackers_, trackersFree_, credits_;
  double reqWire_, drsWire_;
  Ps hostPortPs_, devicePortPs_, ctrlInPs_, ctrlOutPs_;
  PayloadPool pool_;
  std::vector<Line> line_;
  std::vector<std::uint32_t> freeLine_;
  std::vector<Parent> parent_;
  std::vector<std::uint32_t> freeParent_;
  std::deque<std::uint32_t> pending_, mediaQueue_;
  tlm::tlm_generic_payload* mediaWaiting_ = nullptr;
  tlm::tlm_generic_payload* hostWaiting_ = nullptr;
};

}  // namespace engram_sc
