// runModel: the top level of the SystemC model (see system.h).
#include "system.h"

#include <chrono>

#include "common.h"
#include "dram_target.h"
#include "gather_engine.h"
#include "nvme_target.h"
#include "pcie_link.h"
#include "rtl_unit.h"
#include "targets.h"

namespace engram_sc {

namespace {

/** A root-complex window with nothing behind it (no CXL tier): any access is a model error. */
struct Unmapped : sc_core::sc_module {  // also stands in for a missing NVMe tier
  tlm_utils::simple_target_socket<Unmapped> socket;
  explicit Unmapped(sc_core::sc_module_name n) : sc_core::sc_module(n), socket("socket") {
    socket.register_nb_transport_fw(this, &Unmapped::fw);
  }
  tlm::tlm_sync_enum fw(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
    throw ModelError(std::string(name()) + ": access to address " + std::to_string(t.get_address()) + " with no CXL tier configured");
  }
};

/** An initiator that never sends: binds the link's peer port when nothing writes to the GPU. */
struct NoPeer : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<NoPeer> socket;
  explicit NoPeer(sc_core::sc_module_name n) : sc_core::sc_module(n), socket("socket") {}
};

std::vector<std::vector<std::uint32_t>> readBatches(const Config& cfg, const std::string& prefix) {
  std::vector<std::vector<std::uint32_t>> out;
  auto n = cfg.integer(prefix + "count", 0, 1 << 24, 0);
  for (std::int64_t i = 0; i < n; i++) {
    std::string key = prefix + std::to_string(i);
    std::vector<std::uint32_t> b;
    if (cfg.has(key) && !cfg.str(key).empty()) {
      for (std::uint64_t v : cfg.list(key)) {
        if (v > UINT32_MAX) throw ModelError("input: " + key + ": row ids must be below 2^32");
        b.push_back(static_cast<std::uint32_t>(v));
      }
    }
    out.push_back(std::move(b));
  }
  return out;
}

bool elaborated = false;

}  // namespace

std::string runModel(const std::string& input) {
  if (elaborated) throw ModelError("runModel: SystemC elaborates once per process; load a fresh module for another run");
  elaborated = true;
  auto wallStart = std::chrono::steady_clock::now();
  Config cfg(input);
  sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
  const std::uint64_t cxlBase = static_cast<std::uint64_t>(cfg.integer("cxlBaseBytes", 1, std::int64_t{1} << 52));
  const std::string mode = cfg.str("mode");
  if (mode != "rows" && mode != "tokens") throw ModelError("input: mode: expected rows or tokens, got '" + mode + "'");
  if (cfg.str("transfer", "zero-copy") != "zero-copy") throw ModelError("input: transfer: the SystemC model covers zero-copy reads only, got '" + cfg.str("transfer") + "'");

  HbmTarget hbm("hbm", cfg);
  DramTarget hostDram("host_dram", cfg, "hostDram.");
  PcieLink link("pcie", cfg, "pcie.", cxlBase);
  link.hostMemory.bind(hostDram.socket);
  std::unique_ptr<CxlTarget> cxl;
  std::unique_ptr<DramTarget> cxlMedia;
  std::unique_ptr<Unmapped> unmapped;
  bool hasCxl = false, hasNvme = false;
  for (const std::string& k : cfg.words("tiers")) {
    hasCxl = hasCxl || k == "cxl";
    hasNvme = hasNvme || k == "nvme";
  }
  std::unique_ptr<NvmeTarget> nvme;
  std::unique_ptr<Unmapped> noNvme;
  std::unique_ptr<NoPeer> noPeer;
  if (hasCxl) {
    cxl = std::make_unique<CxlTarget>("cxl", cfg, "cxl.");
    cxlMedia = std::make_unique<DramTarget>("cxl_media", cfg, "cxl.media.");
    cxl->media.bind(cxlMedia->socket);
    link.cxlMemory.bind(cxl->socket);
  } else {
    unmapped = std::make_unique<Unmapped>("no_cxl");
    link.cxlMemory.bind(unmapped->socket);
  }

  std::unique_ptr<GatherEngine> engine;
  std::unique_ptr<RtlUnit> rtl;
  if (mode == "rows") {
    engine = std::make_unique<GatherEngine>("gather", cfg, readBatches(cfg, "batch."), readBatches(cfg, "profile."), cxlBase);
    engine->hbm.bind(hbm.socket);
    engine->link.bind(link.gpu);
    engine->peer.bind(link.peer);
    if (hasNvme) {
      nvme = std::make_unique<NvmeTarget>("nvme", cfg, "nvme.");
      engine->nvme.bind(nvme->socket);
    } else {
      noNvme = std::make_unique<Unmapped>("no_nvme");
      engine->nvme.bind(noNvme->socket);
    }
  } else {
    if (hasNvme) throw ModelError("input: tiers: the token workload (the RTL unit) reads host DRAM and CXL tiers, got nvme");
    rtl = std::make_unique<RtlUnit>("rtl", cfg, cxlBase);
    rtl->hbm.bind(hbm.socket);
    rtl->link.bind(link.gpu);
    noPeer = std::make_unique<NoPeer>("no_peer");
    noPeer->socket.bind(link.peer);
  }

  const std::string deferred = takeDeferredError();
  if (!deferred.empty()) throw ModelError(deferred);
  // "Simulation stopped by user" (sc_stop at the end of the workload) is not news.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  sc_core::sc_start();
  const double wallS = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();

  Json j;
  j.begin();
  j.str("model", "systemc").str("systemcVersion", sc_core::sc_release()).str("mode", mode);
  j.num("simulatedPs", static_cast<double>(nowPs())).num("deltaCycles", static_cast<double>(sc_core::sc_delta_count())).num("wallSeconds", wallS);
  auto tierJson = [&](const std::vector<TierStats>& tiers) {
    j.beginArray("tiers");
    for (const TierStats& t : tiers) {
      j.item().str("kind", t.kind).str("name", t.name).num("lookups", static_cast<double>(t.lookups)).num("fetches", static_cast<double>(t.fetches));
      j.num("latencyMeanPs", t.latencyPs.mean()).num("latencyP50Ps", t.latencyPs.percentile(0.5)).num("latencyP99Ps", t.latencyPs.percentile(0.99)).end();
    }
    j.endArray();
  };
  auto series = [&](const std::string& key, const std::vector<double>& v) {
    j.beginArray(key);
    for (double x : v) j.value(x);
    j.endArray();
  };
  if (engine) {
    if (!engine->done()) throw ModelError("runModel: the simulation stopped before the workload finished");
    j.num("batches", static_cast<double>(engine->gatherPs.size())).num("lookups", static_cast<double>(engine->lookups));
    j.num("mergedLookups", static_cast<double>(engine->mergedLookups)).num("hbmHits", static_cast<double>(engine->hbmHits));
    series("gatherPs", engine->gatherPs);
    series("exposedPs", engine->exposedPs);
    tierJson(engine->tiers);
  } else {
    rtl->writeResult(j);
    tierJson(rtl->tiers);
  }
  j.beginArray("links");
  auto wire = [&](const WireDirection& w) {
    j.item().str("name", w.name).num("wireBytes", w.wireBytes).num("payloadBytes", w.payloadBytes).num("busyPs", w.busyPs).end();
  };
  wire(link.upstream);
  wire(link.downstream);
  if (cxl) { wire(cxl->m2s); wire(cxl->s2m); }
  if (nvme) wire(nvme->toHost);
  j.endArray();
  j.beginArray("devices");
  auto dram = [&](const std::string& role, const DramTarget& d) {
    j.item().str("role", role).str("name", d.presetName).num("requests", static_cast<double>(d.requests)).num("busBytes", d.busBytes());
    j.num("activates", static_cast<double>(d.activates)).num("rowHits", static_cast<double>(d.rowHits)).num("refreshes", static_cast<double>(d.refreshes));
    j.num("peakBandwidthGBps", d.peakBandwidthGBps).end();
  };
  dram("host-dram", hostDram);
  if (cxlMedia) dram("cxl-media", *cxlMedia);
  if (nvme) {
    j.item().str("role", "nvme").str("name", nvme->presetName).num("requests", static_cast<double>(nvme->commands));
    j.num("busBytes", static_cast<double>(nvme->pagesRead) * nvme->pageBytes).num("peakBandwidthGBps", nvme->peakBandwidthGBps).end();
  }
  j.item().str("role", "hbm").str("name", "hbm").num("requests", static_cast<double>(hbm.requests)).num("busBytes", hbm.busBytes).num("peakBandwidthGBps", hbm.bandwidthGBps).end();
  j.endArray();
  j.num("pcieRequests", static_cast<double>(link.requests)).num("pciePieces", static_cast<double>(link.pieces)).num("pcieMaxTagsInUse", static_cast<double>(link.maxTagsInUse));
  j.end();
  return j.text();
}

}  // namespace engram_sc
