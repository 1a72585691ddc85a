#include "random.hpp"

namespace h2sim {

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity) {
  const std::uint64_t key = combine(seed, replication);
  key_ = {{static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)}};
  counter_ = {{0, 0, static_cast<std::uint32_t>(entity), static_cast<std::uint32_t>(entity >> 32)}};
}

void RandomStream::next_block() {
  block_ = Philox()(counter_, key_);
  if (++counter_[0] == 0) {
    ++counter_[1];
  }
  used_ = 0;
}

} // namespace h2sim
