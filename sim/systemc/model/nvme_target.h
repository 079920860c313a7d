// An NVMe SSD behind a TLM-2.0 target socket (approximately timed): a submission queue of queueDepth
// commands (back-pressure beyond it), submission fetch delay, a front end at the IOPS ceiling, NAND pages
// striped over channels x dies x planes with tR, the channel bus, a data path at the read-bandwidth ceiling
// streaming MWr TLPs over the SSD's own link, and completion posting. Reads only, whole pages (read
// amplification), as src/memory/nvme/nvmeDevice.ts without controller merging.
#pragma once
#include <tlm_utils/simple_target_socket.h>

#include "common.h"

namespace engram_sc {

class NvmeTarget : public Timeline {
 public:
  tlm_utils::simple_target_socket<NvmeTarget> socket;
  NvmeTarget(sc_core::sc_module_name name, const Config& cfg, const std::string& prefix);
  std::string presetName;
  double peakBandwidthGBps = 0;
  unsigned pageBytes = 4096;
  std::uint64_t commands = 0, pagesRead = 0;
  WireDirection toHost;

 private:
  struct Command { tlm::tlm_generic_payload* trans; std::uint64_t firstPage; unsigned pages, pagesDone; };
  tlm::tlm_sync_enum fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase, sc_core::sc_time& delay);
  void handle(int type, std::uint64_t a, std::uint64_t b) override;
  bool take(tlm::tlm_generic_payload& trans);
  unsigned planeOf(std::uint64_t page) const;

  unsigned queueDepth_ = 1, channels_ = 1, dies_ = 1, planes_ = 1;
  Ps submitPs_ = 0, completionPs_ = 0;
  double commandPs_ = 0, readPs_ = 0, psPerChannelByte_ = 0, ceilingPsPerPage_ = 0, pageWireBytes_ = 0;
  double frontEndFree_ = 0, dataPathFree_ = 0;
  std::vector<double> planeFree_, channelFree_;
  std::vector<Command> cmd_;
  std::vector<std::uint32_t> freeCmd_;
  unsigned outstanding_ = 0;
  tlm::tlm_generic_payload* waiting_ = nullptr;
};

}  // namespace engram_sc
