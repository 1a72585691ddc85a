#pragma once
// The bench's bare loops' random numbers (heap_loop.cpp, memory_floor.cpp): xoshiro256**
// (Blackman & Vigna), its state filled by splitmix64 as they recommend. Fast, and nothing of
// h2sim's, so that a lower bound owes h2sim nothing.

#include <cmath>
#include <cstdint>

namespace bench {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Xoshiro256 {
public:
  Xoshiro256() = default;
  explicit Xoshiro256(std::uint64_t seed) {
    for (auto& word : s_) {
      word = splitmix64(seed);
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Inverse transform; log1p(-u) = log(1 - u) with 1 - u in (0, 1], so never log(0).
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }

private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4] = {};
};

} // namespace bench
