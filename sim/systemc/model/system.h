// Builds the SystemC Engram memory system from the run's inputs, runs it and writes the result JSON.
#pragma once
#include <memory>
#include <string>

namespace engram_sc {

/**
 * Elaborates the model described by `input` (key=value text, see src/cosim/systemc/input.ts), runs it to
 * the end of its workload and returns the result as JSON. SystemC elaborates once per process: a second
 * call throws.
 */
std::string runModel(const std::string& input);

}  // namespace engram_sc
