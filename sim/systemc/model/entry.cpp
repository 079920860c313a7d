// Entry points. Native: `engram_sc INPUT_FILE` prints the result JSON on stdout (errors: one line on
// stderr, exit 2). WebAssembly: engram_sc_run(input) then engram_sc_result() / engram_sc_error(); the
// result goes through getters because a call that switches coroutines loses its return value
// (shared/toolchain.md §3), even though this model's processes are all SC_METHODs.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "system.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#endif

namespace {
std::string g_result;
std::string g_error;

int runGuarded(const std::string& input) {
  // The kernel prints its banner when the first module is built, unless this is set.
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  try {
    g_result = engram_sc::runModel(input);
    g_error.clear();
    return 0;
  } catch (const std::exception& e) {
    g_error = e.what();
    return 1;
  }
}
}  // namespace

extern "C" int sc_main(int argc, char* argv[]);

int sc_main(int argc, char* argv[]) {
  if (argc != 2) {
    std::cerr << "usage: engram_sc INPUT_FILE (key=value lines; '-' reads stdin)\n";
    return 2;
  }
  std::stringstream text;
  if (std::string(argv[1]) == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(argv[1]);
    if (!in) {
      std::cerr << "engram_sc: " << argv[1] << ": cannot read the input file\n";
      return 2;
    }
    text << in.rdbuf();
  }
  if (runGuarded(text.str()) != 0) {
    std::cerr << "engram_sc: " << g_error << "\n";
    return 2;
  }
  std::cout << g_result << "\n";
  return 0;
}

#ifdef __EMSCRIPTEN__
extern "C" {
EMSCRIPTEN_KEEPALIVE int engram_sc_run(const char* input) { return runGuarded(input); }
EMSCRIPTEN_KEEPALIVE const char* engram_sc_result() { return g_result.c_str(); }
EMSCRIPTEN_KEEPALIVE const char* engram_sc_error() { return g_error.c_str(); }
}
#endif
