// Entry points of the smoke model: a command line natively (`sc_smoke VARIANT CYCLES` prints one JSON line) and
// C exports in WebAssembly (test/systemc/build.test.ts). One variant per process or module instance, because
// SystemC elaborates once. Results of a run are read through getters: an export that switches coroutines
// loses its return value (toolchain.md §3 Route 2).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include "smoke_modules.h"
#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define SMOKE_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
#else
#define SMOKE_EXPORT extern "C"
#endif

namespace {

constexpr double kClockPeriodNs = 10.0;

enum Variant { kThreads = 0, kMethods = 1, kExceptions = 2 };
const char* const kVariantNames[] = {"threads", "methods", "exceptions"};

struct Sim {
  int variant = -1;
  std::unique_ptr<smoke::System<smoke::ThreadTarget, smoke::ThreadInitiator>> threads;
  std::unique_ptr<smoke::System<smoke::MethodTarget, smoke::MethodInitiator>> methods;
  std::unique_ptr<sc_core::sc_clock> probe_clock;
  std::unique_ptr<smoke::ExceptionProbe> probe;
  double wall_ns = 0;
  double cycles = 0;
};

Sim& sim() {
  static Sim s;
  return s;
}

}  // namespace

// Elaborates one variant: 0 threads, 1 methods, 2 exceptions. Returns 0, or -1 for an unknown variant or a
// second call.
SMOKE_EXPORT int smoke_init(int variant) {
  Sim& s = sim();
  if (s.variant != -1 || variant < kThreads || variant > kExceptions) return -1;
  s.variant = variant;
  if (variant == kThreads) {
    s.threads = std::make_unique<smoke::System<smoke::ThreadTarget, smoke::ThreadInitiator>>(kClockPeriodNs);
  } else if (variant == kMethods) {
    s.methods = std::make_unique<smoke::System<smoke::MethodTarget, smoke::MethodInitiator>>(kClockPeriodNs);
  } else {
    s.probe_clock = std::make_unique<sc_core::sc_clock>("clk", kClockPeriodNs, sc_core::SC_NS);
    s.probe = std::make_unique<smoke::ExceptionProbe>("probe");
    s.probe->clk(*s.probe_clock);
  }
  return 0;
}

// Simulates `cycles` more clock periods and adds the wall time spent in sc_start.
SMOKE_EXPORT void smoke_run(uint32_t cycles) {
  Sim& s = sim();
  const auto start = std::chrono::steady_clock::now();
  sc_core::sc_start(sc_core::sc_time(kClockPeriodNs * cycles, sc_core::SC_NS));
  const auto end = std::chrono::steady_clock::now();
  s.wall_ns += std::chrono::duration<double, std::nano>(end - start).count();
  s.cycles += cycles;
}

SMOKE_EXPORT uint32_t smoke_checksum() {
  const Sim& s = sim();
  if (s.threads) return s.threads->initiator.checksum;
  if (s.methods) return s.methods->initiator.checksum;
  return 0;
}

SMOKE_EXPORT uint32_t smoke_reads() {
  const Sim& s = sim();
  if (s.threads) return s.threads->initiator.reads;
  if (s.methods) return s.methods->initiator.reads;
  return 0;
}

// The exception probe's counters: 0 starts, 1 iters, 2 caught, 3 resets, 4 kills.
SMOKE_EXPORT uint32_t smoke_probe(int which) {
  const Sim& s = sim();
  if (!s.probe) return 0;
  const uint32_t values[] = {s.probe->starts, s.probe->iters, s.probe->caught, s.probe->resets, s.probe->kills};
  return which >= 0 && which < 5 ? values[which] : 0;
}

SMOKE_EXPORT double smoke_wall_ns() { return sim().wall_ns; }
SMOKE_EXPORT double smoke_cycles() { return sim().cycles; }

// Natively: sc_smoke threads|methods|exceptions CYCLES [CHUNK] runs CYCLES in sc_start calls of CHUNK cycles
// (default: one call) and prints one JSON line. In WebAssembly sc_main is linked but not run (the build passes
// -sINVOKE_RUN=0); the exports above do the work.
int sc_main(int argc, char* argv[]) {
  int variant = -1;
  for (int v = kThreads; v <= kExceptions && argc >= 3; ++v) {
    if (std::strcmp(argv[1], kVariantNames[v]) == 0) variant = v;
  }
  const long cycles = argc >= 3 ? std::strtol(argv[2], nullptr, 10) : 0;
  const long chunk = argc >= 4 ? std::strtol(argv[3], nullptr, 10) : cycles;
  if (variant < 0 || cycles <= 0 || chunk <= 0 || argc > 4) {
    std::fprintf(stderr, "usage: sc_smoke threads|methods|exceptions CYCLES [CHUNK]\n");
    return 2;
  }
  smoke_init(variant);
  for (long done = 0; done < cycles; done += chunk) {
    smoke_run(static_cast<uint32_t>(chunk < cycles - done ? chunk : cycles - done));
  }
  std::printf(
      "{\"variant\":\"%s\",\"cycles\":%.0f,\"checksum\":%u,\"reads\":%u,\"starts\":%u,\"iters\":%u,\"caught\":%u,"
      "\"resets\":%u,\"kills\":%u,\"wallNs\":%.0f}\n",
      kVariantNames[variant], smoke_cycles(), smoke_checksum(), smoke_reads(), smoke_probe(0), smoke_probe(1),
      smoke_probe(2), smoke_probe(3), smoke_probe(4), smoke_wall_ns());
  return 0;
}
