// The native driver of the compiled DRAM core (dram_core.cpp built with g++ -O2): `engram-dse memsim --engine
// native` runs it as a child process (src/memory/nativeCore.ts), and `npm run bench memory` times it.
//
//   dram_core_native serve
//     stdout first: a header of 5 doubles (PARAM_COUNT, RESULT_COUNT, histogram buckets, input capacity in records,
//       doubles per record), so the TypeScript side can check it speaks to a build of the same layout;
//     stdin: the parameter block (PARAM_COUNT doubles, what src/memory/compiledCore.ts writes into dc_params()),
//       then blocks of records, each a count n (a double, 0 <= n <= input capacity) followed by n records of 5
//       doubles (addr, sizeBytes, isWrite, cycle, batch); a block with n = 0 ends the trace;
//     stdout after the run: the result block (RESULT_COUNT doubles), the latency histogram's buckets, then the
//       batch times (R_BATCHES doubles). All doubles in the machine's byte order (little-endian on x86 and arm).
//     Malformed input is reported on stderr with exit code 2.
//   dram_core_native bench PARAMS RECORDS REPS
//     PARAMS and RECORDS: the parameter block and the records (5 doubles each) as raw doubles in files; replays
//     them REPS times and prints one line per repetition: status, last completion cycle, mean latency in cycles,
//     engine steps, activates, refused issues and the CPU seconds of dc_run alone.
#include <cmath>
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
double* dc_histogram(void);
double* dc_batches(void);
int dc_run(void);
}

[[noreturn]] static void fail(const char* what) {
  std::fprintf(stderr, "dram_core_native: %s\n", what);
  std::exit(2);
}

// serve: records come from stdin; bench: from a file read whole.
static bool g_serve = false;
static std::vector<double> g_records;
static size_t g_next = 0;

static void readExact(void* into, size_t bytes, const char* what) {
  if (bytes > 0 && std::fread(into, 1, bytes, stdin) != bytes) fail(what);
}

extern "C" int dc_refill(void) {
  const size_t per = dc_layout(4), capacity = dc_layout(3);
  if (g_serve) {
    double count;
    readExact(&count, sizeof count, "stdin: the trace ended without its end block (a count of 0)");
    if (!(count >= 0 && count <= (double)capacity && count == std::floor(count))) fail("stdin: a block count outside [0, input capacity]");
    readExact(dc_input(), (size_t)count * per * sizeof(double), "stdin: a block ended before its records");
    return (int)count;
  }
  const size_t total = g_records.size() / per;
  size_t n = total - g_next < capacity ? total - g_next : capacity;
  std::memcpy(dc_input(), g_records.data() + g_next * per, n * per * sizeof(double));
  g_next += n;
  return (int)n;
}

static void writeDoubles(const double* values, size_t n) {
  if (n > 0 && std::fwrite(values, sizeof(double), n, stdout) != n) fail("stdout: write failed");
}

static int serve() {
  g_serve = true;
  static char inBuffer[1 << 20];
  std::setvbuf(stdin, inBuffer, _IOFBF, sizeof inBuffer);
  const double header[5] = {(double)PARAM_COUNT, (double)RESULT_COUNT, (double)dc_layout(2), (double)dc_layout(3), (double)dc_layout(4)};
  writeDoubles(header, 5);
  std::fflush(stdout);
  readExact(dc_params(), PARAM_COUNT * sizeof(double), "stdin: ended inside the parameter block");
  dc_run();
  const double* r = dc_result();
  writeDoubles(r, RESULT_COUNT);
  const size_t buckets = dc_layout(2);
  if (dc_histogram() != nullptr) writeDoubles(dc_histogram(), buckets);
  else { std::vector<double> zeros(buckets); writeDoubles(zeros.data(), buckets); }
  writeDoubles(dc_batches(), (size_t)r[R_BATCHES]);
  if (std::fflush(stdout) != 0) fail("stdout: write failed");
  return 0;
}

static std::vector<double> readDoubles(const char* path) {
  FILE* f = std::fopen(path, "rb");
  if (!f) { std::fprintf(stderr, "dram_core_native: %s: cannot open\n", path); std::exit(2); }
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

static int bench(const char* paramsFile, const char* recordsFile, int reps) {
  const std::vector<double> params = readDoubles(paramsFile);
  if (params.size() != PARAM_COUNT) {
    std::fprintf(stderr, "dram_core_native: %s: expected %d parameters, got %zu\n", paramsFile, (int)PARAM_COUNT, params.size());
    return 2;
  }
  g_records = readDoubles(recordsFile);
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

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "serve") == 0) return serve();
  if (argc == 5 && std::strcmp(argv[1], "bench") == 0) return bench(argv[2], argv[3], std::atoi(argv[4]));
  std::fprintf(stderr, "usage: dram_core_native serve | dram_core_native bench PARAMS RECORDS REPS\n");
  return 2;
}
