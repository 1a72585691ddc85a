#include "random.hpp"

namespace h2sim {

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity) {
  const std::uint64_t key = combine(seed, replication);
  key_ = {{static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)}};
  counter_ = {{0, 0, static_cast<std::uint32_t>(entity), static_cast<std::uint32_t>(entity >> 32)}};
}

std::uint32_t RandomStream::next_word() {
  if (used_ == 4) {
    block_ = Philox()(counter_, key_);
    if (++counter_[0] == 0) {
      ++counter_[1];
    }
    used_ = 0;
  }
  return block_[used_++];
}

double RandomStream::uniform() {
  // 53 bits from two words; the +0.5 keeps the result strictly inside (0, 1).
  const std::uint64_t hi = next_word() >> 5;
  const std::uint64_t lo = next_word() >> 6;
  const std::uint64_t bits = (hi << 26) | lo;
  return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
}

} // namespace h2sim
