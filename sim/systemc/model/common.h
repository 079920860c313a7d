// Shared pieces of the SystemC model of the Engram memory system: configuration read from the key=value
// text the TypeScript binding writes (the resolved target and preset files, never numbers duplicated in
// C++), a per-module timed action queue driven by one SC_METHOD (no SC_THREAD on the hot path: coroutine
// switches cost ~5x in wasm, shared/toolchain.md §3), a pool of TLM-2.0 payloads, and one direction of a
// serial link.
#pragma once
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <queue>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>

namespace engram_sc {

using Ps = std::uint64_t;

/** A configuration or input error: its message names the key, the bad value and what was expected. */
struct ModelError : std::runtime_error {
  explicit ModelError(const std::string& what) : std::runtime_error(what) {}
};

/**
 * An error found while a module is being constructed. Throwing out of an sc_module constructor aborts the
 * SystemC kernel (its module-name stack is left inconsistent), so constructors record the first error here
 * and runModel throws it once elaboration is over.
 */
void deferError(const std::string& what);
/** The first deferred error, or "" (and clears it). */
std::string takeDeferredError();

/** The run's inputs: `key=value` lines; `#` starts a comment. Keys are dotted paths into the resolved presets. */
class Config {
 public:
  explicit Config(const std::string& text);
  bool has(const std::string& key) const { return values_.count(key) != 0; }
  const std::string& str(const std::string& key) const;
  std::string str(const std::string& key, const std::string& fallback) const;
  double num(const std::string& key) const;
  double num(const std::string& key, double fallback) const;
  /** An integer in [lo, hi]. */
  std::int64_t integer(const std::string& key, std::int64_t lo, std::int64_t hi) const;
  std::int64_t integer(const std::string& key, std::int64_t lo, std::int64_t hi, std::int64_t fallback) const;
  /** Comma- or space-separated unsigned integers. */
  std::vector<std::uint64_t> list(const std::string& key) const;
  std::vector<std::string> words(const std::string& key) const;
  std::vector<std::string> keysWithPrefix(const std::string& prefix) const;

 private:
  std::map<std::string, std::string> values_;
};

/** Current simulated time in whole picoseconds (the kernel's time resolution is 1 ps). */
inline Ps nowPs() { return sc_core::sc_time_stamp().value(); }

/**
 * A module's pending timed actions, run by one SC_METHOD in time order (ties in insertion order).
 * Subclasses implement `handle(type, a, b)` and `pump()` (work that is due whenever state changed).
 */
class Timeline : public sc_core::sc_module {
 public:
  explicit Timeline(sc_core::sc_module_name name);
  /** Runs handle(type, a, b) at absolute time `at` (>= now). */
  void at(Ps at, int type, std::uint64_t a, std::uint64_t b = 0);
  /** Runs pump() in the next delta cycle. */
  void poke() { wake_.notify(sc_core::SC_ZERO_TIME); }

 protected:
  virtual void handle(int type, std::uint64_t a, std::uint64_t b) = 0;
  virtual void pump() {}

 private:
  struct Item {
    Ps t;
    std::uint64_t seq;
    int type;
    std::uint64_t a, b;
    bool operator>(const Item& o) const { return t != o.t ? t > o.t : seq > o.seq; }
  };
  void run();
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> items_;
  std::uint64_t seq_ = 0;
  sc_core::sc_event wake_;
};

/** Which request a payload carries, for the initiator that receives the response. */
struct RequestTag : tlm::tlm_extension<RequestTag> {
  std::uint64_t id = 0;
  tlm::tlm_extension_base* clone() const override { auto* t = new RequestTag; t->id = id; return t; }
  void copy_from(const tlm::tlm_extension_base& other) override { id = static_cast<const RequestTag&>(other).id; }
};

/** Payloads recycled through the TLM memory-management interface (no allocation per request). */
class PayloadPool : public tlm::tlm_mm_interface {
 public:
  ~PayloadPool() override;
  tlm::tlm_generic_payload* acquire(std::uint64_t id, std::uint64_t addr, unsigned bytes, bool write);
  void free(tlm::tlm_generic_payload* p) override;
  static std::uint64_t idOf(tlm::tlm_generic_payload& p) { return p.get_extension<RequestTag>()->id; }

 private:
  std::vector<tlm::tlm_generic_payload*> free_;
  std::vector<tlm::tlm_generic_payload*> all_;
};

/** One direction of a serial link: packets leave in order, each occupying the wire for bytes x byte time. */
struct WireDirection {
  std::string name;
  double psPerWireByte = 1;
  double freeAtPs = 0;
  double busyPs = 0;
  double wireBytes = 0;
  double payloadBytes = 0;
  /** Queues a packet; returns when its last byte has left (ps, unrounded). */
  double send(double now, double wire, double payload) {
    double start = freeAtPs > now ? freeAtPs : now;
    double duration = wire * psPerWireByte;
    freeAtPs = start + duration;
    busyPs += duration;
    wireBytes += wire;
    payloadBytes += payload;
    return freeAtPs;
  }
};

/** A latency histogram summary: mean, p50, p99 of recorded values (ps). */
struct Samples {
  std::vector<double> values;
  void add(double v) { values.push_back(v); }
  double mean() const;
  double percentile(double q) const;
};

/** Target side: the response, with TLM_OK_RESPONSE, on the backward path. */
template <class Socket>
void respond(Socket& socket, tlm::tlm_generic_payload& t) {
  t.set_response_status(tlm::TLM_OK_RESPONSE);
  tlm::tlm_phase phase = tlm::BEGIN_RESP;
  sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
  socket->nb_transport_bw(t, phase, zero);
}

/** Target side: END_REQ for a request it refused earlier and has now taken. */
template <class Socket>
void acceptLate(Socket& socket, tlm::tlm_generic_payload& t) {
  tlm::tlm_phase phase = tlm::END_REQ;
  sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
  socket->nb_transport_bw(t, phase, zero);
}

/** Initiator side: BEGIN_REQ; true when the target took it now, false when END_REQ will come later. */
template <class Socket>
bool request(Socket& socket, tlm::tlm_generic_payload& t) {
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
  const tlm::tlm_sync_enum r = socket->nb_transport_fw(t, phase, zero);
  return !(r == tlm::TLM_ACCEPTED && phase == tlm::BEGIN_REQ);
}

/** Minimal JSON writer for the result (numbers and strings). */
class Json {
 public:
  Json& begin() { out_ << '{'; first_.push_back(true); return *this; }
  Json& end() { out_ << '}'; first_.pop_back(); return *this; }
  Json& beginArray(const std::string& key) { sep(); out_ << quote(key) << ":["; first_.push_back(true); return *this; }
  Json& endArray() { out_ << ']'; first_.pop_back(); return *this; }
  Json& item() { sep(); out_ << '{'; first_.push_back(true); return *this; }
  Json& num(const std::string& key, double v) { sep(); out_ << quote(key) << ':' << number(v); return *this; }
  Json& str(const std::string& key, const std::string& v) { sep(); out_ << quote(key) << ':' << quote(v); return *this; }
  Json& value(double v) { sep(); out_ << number(v); return *this; }
  std::string text() const { return out_.str(); }
  static std::string number(double v);
  static std::string quote(const std::string& s);

 private:
  void sep() { if (!first_.back()) out_ << ','; first_.back() = false; }
  std::ostringstream out_;
  std::vector<bool> first_{true};
};

}  // namespace engram_sc
