// Smoke models of the SystemC build (../shared/toolchain.md §3): a clocked counter, a memory target that answers
// a read 3 cycles after it sees it, and an initiator that issues reads and folds the answers into a checksum.
// Two implementations with the same cycle behaviour: SC_THREADs with wait() (a coroutine switch per wait) and
// SC_METHOD state machines (no coroutine at all). ExceptionProbe checks C++ exceptions across wait() and process
// reset/kill (sc_unwind_exception) on the coroutine package in use.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <systemc>

namespace smoke {

// Signals between initiator and target; every process samples them on the rising clock edge.
struct Bus {
  sc_core::sc_signal<bool> req_valid{"req_valid"};
  sc_core::sc_signal<uint32_t> req_addr{"req_addr"};
  sc_core::sc_signal<bool> resp_valid{"resp_valid"};
  sc_core::sc_signal<uint32_t> resp_data{"resp_data"};
  sc_core::sc_signal<uint32_t> count{"count"};
};

inline uint32_t next_addr(uint32_t addr) { return addr * 1103515245u + 12345u; }
inline uint32_t memory_word(uint32_t addr, uint32_t count) { return (addr & 0xffffu) * 2654435761u ^ count; }

// Shared by both implementations: the count of rising edges.
SC_MODULE(Counter) {
  sc_core::sc_in<bool> clk;
  Bus& bus;
  SC_HAS_PROCESS(Counter);
  Counter(sc_core::sc_module_name name, Bus& b) : sc_module(name), bus(b) {
    SC_METHOD(tick);
    sensitive << clk.pos();
    dont_initialize();
  }
  void tick() { bus.count.write(bus.count.read() + 1); }
};

// The latency the target adds between seeing a request and raising resp_valid, in clock cycles.
constexpr int kTargetLatencyCycles = 3;

SC_MODULE(ThreadTarget) {
  sc_core::sc_in<bool> clk;
  Bus& bus;
  SC_HAS_PROCESS(ThreadTarget);
  ThreadTarget(sc_core::sc_module_name name, Bus& b) : sc_module(name), bus(b) {
    SC_THREAD(run);
    sensitive << clk.pos();
  }
  void run() {
    for (;;) {
      do wait(); while (!bus.req_valid.read());
      const uint32_t addr = bus.req_addr.read();
      for (int i = 0; i < kTargetLatencyCycles; ++i) wait();
      bus.resp_data.write(memory_word(addr, bus.count.read()));
      bus.resp_valid.write(true);
      wait();
      bus.resp_valid.write(false);
    }
  }
};

SC_MODULE(ThreadInitiator) {
  sc_core::sc_in<bool> clk;
  Bus& bus;
  uint32_t checksum = 0;
  uint32_t reads = 0;
  SC_HAS_PROCESS(ThreadInitiator);
  ThreadInitiator(sc_core::sc_module_name name, Bus& b) : sc_module(name), bus(b) {
    SC_THREAD(run);
    sensitive << clk.pos();
  }
  void run() {
    uint32_t addr = 1;
    for (;;) {
      wait();
      addr = next_addr(addr);
      bus.req_addr.write(addr);
      bus.req_valid.write(true);
      do wait(); while (!bus.resp_valid.read());
      bus.req_valid.write(false);
      checksum = checksum * 31u + bus.resp_data.read() + bus.count.read();
      ++reads;
    }
  }
};

// The state machines below name each state after the wait() of the thread version it stands for; both run once at
// initialisation (as threads do up to their first wait()) and then on every rising edge.
SC_MODULE(MethodTarget) {
  sc_core::sc_in<bool> clk;
  Bus& bus;
  enum State { kStart, kWaitRequest, kLatency, kResponding } state = kStart;
  int latency_left = 0;
  uint32_t addr = 0;
  SC_HAS_PROCESS(MethodTarget);
  MethodTarget(sc_core::sc_module_name name, Bus& b) : sc_module(name), bus(b) {
    SC_METHOD(tick);
    sensitive << clk.pos();
  }
  void tick() {
    switch (state) {
      case kStart:
        state = kWaitRequest;
        break;
      case kWaitRequest:
        if (bus.req_valid.read()) {
          addr = bus.req_addr.read();
          latency_left = kTargetLatencyCycles;
          state = kLatency;
        }
        break;
      case kLatency:
        if (--latency_left == 0) {
          bus.resp_data.write(memory_word(addr, bus.count.read()));
          bus.resp_valid.write(true);
          state = kResponding;
        }
        break;
      case kResponding:
        bus.resp_valid.write(false);
        state = kWaitRequest;
        break;
    }
  }
};

SC_MODULE(MethodInitiator) {
  sc_core::sc_in<bool> clk;
  Bus& bus;
  uint32_t checksum = 0;
  uint32_t reads = 0;
  enum State { kStart, kIssue, kWaitResponse } state = kStart;
  uint32_t addr = 1;
  SC_HAS_PROCESS(MethodInitiator);
  MethodInitiator(sc_core::sc_module_name name, Bus& b) : sc_module(name), bus(b) {
    SC_METHOD(tick);
    sensitive << clk.pos();
  }
  void tick() {
    switch (state) {
      case kStart:
        state = kIssue;
        break;
      case kIssue:
        addr = next_addr(addr);
        bus.req_addr.write(addr);
        bus.req_valid.write(true);
        state = kWaitResponse;
        break;
      case kWaitResponse:
        if (bus.resp_valid.read()) {
          bus.req_valid.write(false);
          checksum = checksum * 31u + bus.resp_data.read() + bus.count.read();
          ++reads;
          state = kIssue;
        }
        break;
    }
  }
};

// Counter + target + initiator on one clock, as threads or as methods.
template <class Target, class Initiator>
struct System {
  sc_core::sc_clock clk;
  Bus bus;
  Counter counter{"counter", bus};
  Target target{"target", bus};
  Initiator initiator{"initiator", bus};
  explicit System(double period_ns) : clk("clk", period_ns, sc_core::SC_NS) {
    counter.clk(clk);
    target.clk(clk);
    initiator.clk(clk);
  }
};

// A worker thread that throws and catches std::runtime_error across wait() every third iteration, and counts the
// sc_unwind_exceptions with which a controller thread resets it twice and then kills it.
SC_MODULE(ExceptionProbe) {
  sc_core::sc_in<bool> clk;
  uint32_t starts = 0, iters = 0, caught = 0, resets = 0, kills = 0;
  sc_core::sc_process_handle worker_handle;
  // Rising edges the controller waits before the first reset, the second reset and the kill.
  static constexpr int kFirstResetEdges = 10, kSecondResetEdges = 7, kKillEdges = 5;
  SC_HAS_PROCESS(ExceptionProbe);
  explicit ExceptionProbe(sc_core::sc_module_name name) : sc_module(name) {
    SC_THREAD(worker);
    sensitive << clk.pos();
    worker_handle = sc_core::sc_get_current_process_handle();
    SC_THREAD(controller);
    sensitive << clk.pos();
  }
  // Suspends for one edge, then throws on every third iteration: the exception leaves a frame that waited.
  void step() {
    wait();
    ++iters;
    if (iters % 3 == 0) throw std::runtime_error("smoke: third iteration");
  }
  void worker() {
    ++starts;
    try {
      for (;;) {
        try {
          step();
        } catch (const std::runtime_error&) {
          ++caught;
        }
      }
    } catch (const sc_core::sc_unwind_exception& unwind) {
      if (unwind.is_reset()) ++resets; else ++kills;
      throw;  // the kernel requires it
    }
  }
  void controller() {
    wait(kFirstResetEdges);
    worker_handle.reset();
    wait(kSecondResetEdges);
    worker_handle.reset();
    wait(kKillEdges);
    worker_handle.kill();
  }
};

}  // namespace smoke
