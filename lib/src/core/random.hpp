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

  /** A uniform double in the open interval (0, 1), with 53 random bits. */
  double uniform();

private:
  using Philox = r123::Philox4x32;
  Philox::key_type key_{};
  Philox::ctr_type counter_{};
  Philox::ctr_type block_{};
  unsigned used_ = 4; // words of block_ already consumed
  std::uint32_t next_word();
};

} // namespace h2sim
