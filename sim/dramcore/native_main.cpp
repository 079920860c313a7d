// A native driver for the compiled DRAM core (dram_core.cpp), for `npm run bench memory` only: it measures what
// the same core costs compiled natively (g++ -O2) beside the WebAssembly build that memsim uses.
//
//   dram_core_bench PARAMS RECORDS REPS
//     PARAMS:  the parameter block as raw doubles (what src/memory/compiledCore.ts writes into dc_params());
//     RECORDS: the trace records as raw doubles, 5 per record (addr, sizeBytes, isWrite, cycle, batch).
// Prints one line per repetition: status, last completion cycle, mean latency in cycles, engine steps, activates,
// refused issues and CPU seconds.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "dram_core_layout.h"

extern "C" {
int dc_layout(int which);
double* dc_params(void);
double* dc_input(void);
double* dc_result(void);
int dc_run(void);
}

static std::vector<double> g_records;
static size_t g_next = 0;

extern "C" int dc_refill(void) {
  const size_t per = dc_layout(4), capacity = dc_layout(3);
  const size_t total = g_records.size() / per;
  size_t n = total - g_next < capacity ? total - g_next : capacity;
  std::memcpy(dc_input(), g_records.data() + g_next * per, n * per * sizeof(double));
  g_next += n;
  return (int)n;
}

static std::vector<double> readDoubles(const char* path) {
  FILE* f = std::fopen(path, "rb");
  if (!f) { std::fprintf(stderr, "dram_core_bench: %s: cannot open\n", path); std::exit(2); }
  std::vector<double> out;
  double buf[4096];
  size_t n;
  while ((n = std::fread(buf, sizeof(double), 4096, f)) > 0) out.insert(out.end(), buf, buf + n);
  std::fclose(f);
  return out;
}

static double cpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
  if (argc != 4) { std::fprintf(stderr, "usage: dram_core_bench PARAMS RECORDS REPS\n"); return 2; }
  const std::vector<double> params = readDoubles(argv[1]);
  if (params.size() != PARAM_COUNT) {
    std::fprintf(stderr, "dram_core_bench: %s: expected %d parameters, got %zu\n", argv[1], (int)PARAM_COUNT, params.size());
    return 2;
  }
  g_records = readDoubles(argv[2]);
  const int reps = std::atoi(argv[3]);
  for (int rep = 0; rep < reps; rep++) {
    std::memcpy(dc_params(), params.data(), params.size() * sizeof(double));
    g_next = 0;
    const double t0 = cpuSeconds();
    const int status = dc_run();
    const double s = cpuSeconds() - t0;
    const double* r = dc_result();
    std::printf("status %d cycles %.0f meanLatencyCycles %.6f steps %.0f activates %.0f refused %.0f cpuS %.6f\n", status,
                r[R_LAST_COMPLETION], r[R_HIST_COUNT] > 0 ? r[R_HIST_SUM] / r[R_HIST_COUNT] : 0.0, r[R_STEPS], r[R_ACTIVATES], r[R_REFUSED], s);
  }
  return 0;
}
