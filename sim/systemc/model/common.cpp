// Implementations of the shared pieces in common.h.
#include "common.h"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <limits>

namespace engram_sc {

namespace {
std::string g_deferred;
}

void deferError(const std::string& what) {
  if (g_deferred.empty()) g_deferred = what;
}

std::string takeDeferredError() {
  std::string e = g_deferred;
  g_deferred.clear();
  return e;
}

Config::Config(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  int lineNo = 0;
  while (std::getline(in, line)) {
    lineNo++;
    auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    auto trim = [](std::string s) {
      auto b = s.find_first_not_of(" \t\r");
      auto e = s.find_last_not_of(" \t\r");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    line = trim(line);
    if (line.empty()) continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) throw ModelError("input line " + std::to_string(lineNo) + ": expected key=value, got '" + line + "'");
    std::string key = trim(line.substr(0, eq));
    if (values_.count(key) != 0) throw ModelError("input line " + std::to_string(lineNo) + ": key '" + key + "' appears twice");
    values_[key] = trim(line.substr(eq + 1));
  }
}

const std::string& Config::str(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw ModelError("input: " + key + ": expected a value, but it is missing");
  return it->second;
}

std::string Config::str(const std::string& key, const std::string& fallback) const {
  return has(key) ? str(key) : fallback;
}

double Config::num(const std::string& key) const {
  const std::string& s = str(key);
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end == nullptr || *end != '\0' || !std::isfinite(v)) throw ModelError("input: " + key + ": expected a finite number, got '" + s + "'");
  return v;
}

double Config::num(const std::string& key, double fallback) const { return has(key) ? num(key) : fallback; }

std::int64_t Config::integer(const std::string& key, std::int64_t lo, std::int64_t hi) const {
  double v = num(key);
  if (v != std::floor(v) || v < static_cast<double>(lo) || v > static_cast<double>(hi)) {
    throw ModelError("input: " + key + ": expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got '" + str(key) + "'");
  }
  return static_cast<std::int64_t>(v);
}

std::int64_t Config::integer(const std::string& key, std::int64_t lo, std::int64_t hi, std::int64_t fallback) const {
  return has(key) ? integer(key, lo, hi) : fallback;
}

std::vector<std::uint64_t> Config::list(const std::string& key) const {
  std::vector<std::uint64_t> out;
  const std::string& s = str(key);
  const char* p = s.c_str();
  while (*p != '\0') {
    while (*p == ' ' || *p == ',') p++;
    if (*p == '\0') break;
    char* end = nullptr;
    unsigned long long v = std::strtoull(p, &end, 10);
    if (end == p || (*end != '\0' && *end != ' ' && *end != ',')) throw ModelError("input: " + key + ": expected unsigned integers separated by commas or spaces, got '" + s.substr(0, 40) + "...'");
    out.push_back(v);
    p = end;
  }
  return out;
}

std::vector<std::string> Config::words(const std::string& key) const {
  std::vector<std::string> out;
  std::string w;
  std::istringstream in(str(key));
  while (std::getline(in, w, ',')) {
    auto b = w.find_first_not_of(' ');
    auto e = w.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(w.substr(b, e - b + 1));
  }
  return out;
}

std::vector<std::string> Config::keysWithPrefix(const std::string& prefix) const {
  std::vector<std::string> out;
  for (auto it = values_.lower_bound(prefix); it != values_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) out.push_back(it->first);
  return out;
}

Timeline::Timeline(sc_core::sc_module_name name) : sc_core::sc_module(name) {
  SC_HAS_PROCESS(Timeline);
  SC_METHOD(run);
  sensitive << wake_;
  dont_initialize();
}

void Timeline::at(Ps t, int type, std::uint64_t a, std::uint64_t b) {
  Ps now = nowPs();
  if (t < now) t = now;
  items_.push(Item{t, seq_++, type, a, b});
  wake_.notify(sc_core::sc_time(static_cast<double>(t - now), sc_core::SC_PS));
}

void Timeline::run() {
  Ps now = nowPs();
  while (!items_.empty() && items_.top().t <= now) {
    Item it = items_.top();
    items_.pop();
    handle(it.type, it.a, it.b);
  }
  pump();
  if (!items_.empty()) wake_.notify(sc_core::sc_time(static_cast<double>(items_.top().t - now), sc_core::SC_PS));
}

PayloadPool::~PayloadPool() {
  for (auto* p : all_) {
    p->reset();  // frees the RequestTag extension
    delete p;
  }
}

tlm::tlm_generic_payload* PayloadPool::acquire(std::uint64_t id, std::uint64_t addr, unsigned bytes, bool write) {
  tlm::tlm_generic_payload* p;
  if (free_.empty()) {
    p = new tlm::tlm_generic_payload(this);
    p->set_extension(new RequestTag);
    all_.push_back(p);
  } else {
    p = free_.back();
    free_.pop_back();
  }
  p->acquire();
  p->set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  p->set_address(addr);
  p->set_data_length(bytes);
  p->set_data_ptr(nullptr);
  p->set_streaming_width(bytes);
  p->set_byte_enable_ptr(nullptr);
  p->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  p->get_extension<RequestTag>()->id = id;
  return p;
}

void PayloadPool::free(tlm::tlm_generic_payload* p) { free_.push_back(p); }

double Samples::mean() const {
  if (values.empty()) return 0;
  double s = 0;
  for (double v : values) s += v;
  return s / static_cast<double>(values.size());
}

double Samples::percentile(double q) const {
  if (values.empty()) return 0;
  std::vector<double> v(values);
  std::sort(v.begin(), v.end());
  // Nearest rank, as src/memory/histogram.ts.
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  if (rank < 1) rank = 1;
  return v[rank - 1];
}

std::string Json::number(double v) {
  if (!std::isfinite(v)) return "null";
  if (v == std::floor(v) && std::fabs(v) < 9.0e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string Json::quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') { out += '\\'; out += c; }
    else if (static_cast<unsigned char>(c) < 0x20) { char buf[8]; std::snprintf(buf, sizeof buf, "\\u%04x", c); out += buf; }
    else out += c;
  }
  return out + "\"";
}

}  // namespace engram_sc
