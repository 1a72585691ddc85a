#include "core/random.hpp"
#include "core/spatial_index.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

using h2sim::Point;
using h2sim::SpatialIndex;

namespace {
/** Points on a coarse grid (many ties, duplicates) or anywhere, with ids in a shuffled order. */
std::pair<std::vector<Point>, std::vector<std::size_t>> points(h2sim::RandomStream& rng,
                                                               std::size_t n, bool grid) {
  std::vector<Point> at;
  std::vector<std::size_t> ids;
  for (std::size_t i = 0; i < n; ++i) {
    if (grid) {
      at.push_back({std::floor(rng.uniform() * 6) - 3, std::floor(rng.uniform() * 6) - 3});
    } else {
      at.push_back({rng.uniform() * 100 - 50, rng.uniform() * 100 - 50});
    }
    ids.push_back(3 * i + 7);
  }
  for (std::size_t i = n; i > 1; --i) {
    std::swap(ids[i - 1], ids[static_cast<std::size_t>(rng.uniform() * static_cast<double>(i))]);
  }
  return {at, ids};
}

Point query(h2sim::RandomStream& rng, bool grid) {
  if (grid) {
    return {std::floor(rng.uniform() * 10) - 5, std::floor(rng.uniform() * 10) - 5};
  }
  return {rng.uniform() * 140 - 70, rng.uniform() * 140 - 70};
}

/** The least id among the nearest points, by a scan. */
std::optional<std::size_t> brute_nearest(const std::vector<Point>& at,
                                         const std::vector<std::size_t>& ids, Point from) {
  std::optional<std::size_t> best;
  double best_d2 = 0;
  for (std::size_t i = 0; i < at.size(); ++i) {
    const double d2 = SpatialIndex::squared_km(from, at[i]);
    if (!best || d2 < best_d2 || (d2 == best_d2 && ids[i] < *best)) {
      best = ids[i];
      best_d2 = d2;
    }
  }
  return best;
}
} // namespace

TEST_CASE(
    "core::SpatialIndex: every point once, in non-decreasing distance, never below the bound") {
  h2sim::RandomStream rng(14, 0, 1);
  SpatialIndex::Scratch scratch;
  for (const bool grid : {true, false}) {
    for (const std::size_t n : {0u, 1u, 2u, 7u, 8u, 9u, 50u, 400u}) {
      const auto [at, ids] = points(rng, n, grid);
      const SpatialIndex index(at, ids);
      CHECK(index.size() == n);
      for (int q = 0; q < 20; ++q) {
        const Point from = query(rng, grid);
        CAPTURE(grid);
        CAPTURE(n);
        std::vector<std::pair<double, std::size_t>> want;
        for (std::size_t i = 0; i < n; ++i) {
          want.emplace_back(SpatialIndex::squared_km(from, at[i]), ids[i]);
        }
        std::sort(want.begin(), want.end());
        std::vector<std::pair<double, std::size_t>> got;
        auto search = index.nearest(from, scratch);
        SpatialIndex::Nearest::Found found{};
        double last = 0;
        while (true) {
          const double bound = search.bound();
          if (!search.next(found)) {
            CHECK(std::isinf(bound));
            break;
          }
          CHECK(bound <= found.d2); // the bound never exceeds what comes next
          CHECK(found.d2 >= last);  // non-decreasing
          last = found.d2;
          got.emplace_back(found.d2, found.id);
        }
        std::sort(got.begin(), got.end()); // ties come in any order
        CHECK(got == want);
      }
    }
  }
}

TEST_CASE(
    "core::SpatialIndex: the nearest, ties to the least id, as a scan finds it, stopping early") {
  h2sim::RandomStream rng(14, 0, 2);
  SpatialIndex::Scratch scratch;
  for (const bool grid : {true, false}) {
    const auto [at, ids] = points(rng, 3000, grid);
    const SpatialIndex index(at, ids);
    std::size_t looked_at = 0;
    for (int q = 0; q < 300; ++q) {
      const Point from = query(rng, grid);
      std::optional<std::size_t> best;
      double best_d2 = 0;
      auto search = index.nearest(from, scratch);
      SpatialIndex::Nearest::Found found{};
      // Read on while something could tie: stop once the bound is above the best distance.
      while (!(best && search.bound() > best_d2) && search.next(found)) {
        ++looked_at;
        if (!best || found.d2 < best_d2 || (found.d2 == best_d2 && found.id < *best)) {
          best = found.id;
          best_d2 = found.d2;
        }
      }
      CHECK(best == brute_nearest(at, ids, from));
    }
    if (!grid) {
      CHECK(looked_at < 300 * 10); // a handful of points per query, not 3,000
    }
  }
}

TEST_CASE("core::SpatialIndex: duplicates and one point") {
  SpatialIndex::Scratch scratch;
  const SpatialIndex index({{1, 1}, {1, 1}, {1, 1}}, {5, 2, 9});
  auto search = index.nearest({0, 0}, scratch);
  std::vector<std::size_t> got;
  SpatialIndex::Nearest::Found found{};
  while (search.next(found)) {
    CHECK(found.d2 == 2.0);
    got.push_back(found.id);
  }
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::size_t>{2, 5, 9});
  const SpatialIndex one({{3, 4}}, {0});
  auto single = one.nearest({0, 0}, scratch);
  CHECK(single.bound() == 25.0);
  CHECK(single.next(found));
  CHECK(found.id == 0);
  CHECK_FALSE(single.next(found));
  CHECK_THROWS(SpatialIndex({{0, 0}}, {}));
}

TEST_CASE(
    "core::SpatialIndex::least: the least (key, id) of a scan, skipping, with a detour limit") {
  // Keys as the fleet's: (beyond the reach, squared distance), or a rank that grows faster than
  // the distance plus a per-point penalty; odd ids skipped (tried stations).
  h2sim::RandomStream rng(14, 0, 4);
  for (const bool grid : {true, false}) {
    for (const std::size_t n : {1u, 5u, 9u, 200u, 2000u}) {
      const auto [at, ids] = points(rng, n, grid);
      const SpatialIndex index(at, ids);
      for (int q = 0; q < 100; ++q) {
        const Point from = query(rng, grid);
        const double reach2 = q % 3 == 0 ? INFINITY : grid ? 2.0 : 30.0;
        const bool penalty = q % 2 == 1;
        const bool skip_odd = q % 4 >= 2;
        using Key = std::pair<bool, double>;
        const auto key_of = [&](std::size_t id, double d2) -> std::optional<Key> {
          if (skip_odd && id % 2 == 1) {
            return std::nullopt;
          }
          return Key{d2 > reach2, d2 + (penalty ? static_cast<double>(id % 3) : 0.0)};
        };
        const auto at_least = [&](double d2) { return Key{d2 > reach2, d2}; };
        std::optional<std::size_t> want;
        Key want_key{true, 0};
        for (std::size_t i = 0; i < n; ++i) {
          const auto key = key_of(ids[i], SpatialIndex::squared_km(from, at[i]));
          if (key && (!want || *key < want_key || (*key == want_key && ids[i] < *want))) {
            want = ids[i];
            want_key = *key;
          }
        }
        std::optional<std::size_t> got;
        Key got_key{true, 0};
        index.least(from, key_of, at_least, got, got_key);
        CAPTURE(grid);
        CAPTURE(n);
        CAPTURE(q);
        CHECK(got == want);
        if (want) {
          CHECK(got_key == want_key);
        }
      }
    }
  }
}

TEST_CASE("core::SpatialIndex::nearest_id: the least id among the nearest, as a scan, ties too") {
  h2sim::RandomStream rng(14, 0, 5);
  CHECK_FALSE(SpatialIndex({}, {}).nearest_id({0, 0}).has_value());
  std::size_t tied = 0;    // queries with two or more points at the least distance
  std::size_t in_cell = 0; // indexes whose grid lists candidates in some cell
  std::size_t by_tree = 0; // indexes with cells that list none (too many near): the tree
  for (const bool grid : {true, false}) {
    for (const std::size_t n : {1u, 5u, 9u, 200u, 2000u}) {
      const auto [at, ids] = points(rng, n, grid);
      const SpatialIndex index(at, ids, SpatialIndex::Lookups::nearest_id);
      const SpatialIndex searches_only(at, ids); // no cells: its lookups search the tree
      CHECK(index.cells() >= 1);
      CHECK(searches_only.cells() == 0);
      in_cell += index.listing_cells() > 0 ? 1U : 0U;
      by_tree += index.listing_cells() < index.cells() ? 1U : 0U;
      for (int q = 0; q < 200; ++q) {
        const Point from = query(rng, grid);
        const std::optional<std::size_t> want = brute_nearest(at, ids, from);
        CAPTURE(grid);
        CAPTURE(n);
        CAPTURE(q);
        REQUIRE(want.has_value());
        const auto got = index.nearest_id(from);
        REQUIRE(got.has_value());
        CHECK(got->id == *want);
        CHECK(searches_only.nearest_id(from)->id == *want);
        const auto place = std::find(ids.begin(), ids.end(), *want) - ids.begin();
        const double least = SpatialIndex::squared_km(from, at[static_cast<std::size_t>(place)]);
        CHECK(got->d2 == least);
        tied +=
            std::count_if(at.begin(), at.end(),
                          [&](Point p) { return SpatialIndex::squared_km(from, p) == least; }) > 1
                ? 1U
                : 0U;
      }
    }
  }
  CHECK(tied > 100);   // the grid's ties were met, so the id really decided
  CHECK(in_cell >= 8); // both ways were taken: the grid's lists, and the tree for crowded cells
  CHECK(by_tree >= 2); // (2000 points on 36 places) and for places outside the grid (queries)
}

TEST_CASE("core::SpatialIndex::nearest_id: cities 3,000 km apart get cells of their own") {
  // A country of cities (as bench/tile.py lays them out): a grid of even cells would be a city
  // wide and list too many stations everywhere; the cells follow the stations instead.
  h2sim::RandomStream rng(14, 0, 6);
  std::vector<Point> at;
  std::vector<std::size_t> ids;
  for (const double city_x : {0.0, 3000.0}) {
    for (std::size_t i = 0; i < 150; ++i) {
      at.push_back({city_x + 60 * rng.uniform() - 30, 60 * rng.uniform() - 30});
      ids.push_back(ids.size());
    }
  }
  const SpatialIndex index(at, ids, SpatialIndex::Lookups::nearest_id);
  CHECK(index.listing_cells() > 100);
  for (int q = 0; q < 2000; ++q) {
    const Point from{(q % 2 == 0 ? 0.0 : 3000.0) + 80 * rng.uniform() - 40,
                     80 * rng.uniform() - 40};
    const auto got = index.nearest_id(from);
    REQUIRE(got.has_value());
    CHECK(got->id == *brute_nearest(at, ids, from));
  }
}

TEST_CASE("core::SpatialIndex::nearest_id: above 2048 points no cells, the tree, same answers") {
  h2sim::RandomStream rng(14, 0, 7);
  const auto [at, ids] = points(rng, 2049, false);
  const SpatialIndex index(at, ids, SpatialIndex::Lookups::nearest_id);
  CHECK(index.cells() == 0);
  for (int q = 0; q < 300; ++q) {
    const Point from = q == 0 ? Point{0, 0} : query(rng, false);
    const auto got = index.nearest_id(from);
    REQUIRE(got.has_value());
    CHECK(got->id == *brute_nearest(at, ids, from));
  }
}
