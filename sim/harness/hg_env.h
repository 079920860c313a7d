// Deterministic environment of the hash/gather co-simulation: the random stream behind every
// back-pressure coin and the row data the memory model returns. src/cosim/harnessEnv.ts is the same code
// in TypeScript; the two must stay bit-identical, since the TS cycle model replays these draws.
#pragma once
#include <cstdint>

namespace hg {

// triple32 (Chris Wellons, "Prospecting for Hash Functions", 2018): a full-avalanche 32-bit mixer.
inline uint32_t triple32(uint32_t x) {
  x ^= x >> 17;
  x *= 0xed5ad4bbu;
  x ^= x >> 11;
  x *= 0xac4c1b51u;
  x ^= x >> 15;
  x *= 0x31848babu;
  x ^= x >> 14;
  return x;
}

// A Weyl sequence through triple32: one 32-bit draw per call.
struct Rng {
  static constexpr uint32_t kStep = 0x9e3779b9u;
  uint32_t state = 0;
  inline uint32_t next() {
    state += kStep;
    return triple32(state);
  }
};

// 32-bit word `w` of the row stored at byte address `addr`: a function of the address alone, so every
// gathered value shows which address was read (for fixed hi and w it is a bijection of the low half).
inline uint32_t row_word(uint64_t addr, uint32_t w) {
  uint32_t lo = static_cast<uint32_t>(addr);
  uint32_t hi = static_cast<uint32_t>(addr >> 32);
  return triple32(lo ^ (hi * 0x85ebca6bu) ^ ((w + 1u) * 0x9e3779b9u));
}

}  // namespace hg
