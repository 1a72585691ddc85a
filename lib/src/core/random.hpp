#pragma once

#include <Random123/philox.h>

#include <cstdint>
#include <string_view>

namespace h2sim {

/** FNV-1a of a name: the stable id of an entity (station, class) for its random streams. */
constexpr std::uint64_t entity_id(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

/** Mixes two ids into one (for "vehicle 17 of class taxi", "arrivals of station S3"). */
constexpr std::uint64_t combine(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/**
 * An independent stream of uniform numbers for one (master seed, replication, entity), from the
 * counter-based Philox4x32-10 generator: the key is (seed, replication), the counter is
 * (entity, draw index). Streams of different entities never overlap, and adding an entity does not
 * shift any other entity's draws (common random numbers across the points of a sweep).
 */
class RandomStream {
public:
  RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity);

  /**
   * Part `part` (1, 2, ...) of this stream's entity, as a stream of its own: it starts at block
   * 2^32 x part of the entity's counter, where this stream (part 0) would never reach. A visit
   * draws its patience and its fill from parts of its stream, so that a what-if that draws one
   * of them, or draws it differently, moves neither the other nor its fill time.
   */
  RandomStream part(std::uint32_t part) const {
    RandomStream other = *this;
    other.counter_[0] = 0;
    other.counter_[1] = part;
    other.used_ = 4;
    return other;
  }

  /**
   * A uniform double in the open interval (0, 1), with 53 random bits: two words of the current
   * block (a block holds four), the +0.5 keeping it strictly inside. Inline: a fleet draws a few
   * per event, and only every second draw computes a block.
   */
  double uniform() {
    if (used_ == 4) {
      next_block();
    }
    const std::uint64_t hi = block_[used_] >> 5;
    const std::uint64_t lo = block_[used_ + 1] >> 6;
    used_ += 2;
    const std::uint64_t bits = (hi << 26) | lo;
    return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
  }

private:
  using Philox = r123::Philox4x32;
  Philox::key_type key_{};
  Philox::ctr_type counter_{};
  Philox::ctr_type block_{};
  unsigned used_ = 4; // words of block_ already consumed: 0, 2 or 4
  void next_block();
};

} // namespace h2sim
