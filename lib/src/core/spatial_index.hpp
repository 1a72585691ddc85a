#pragma once

#include "geometry.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace h2sim {

/**
 * A static k-d tree over points, each with an id, for nearest-first searches in O(log n) per point
 * found: `Nearest` hands out the points in order of squared distance from a query point, and tells
 * at any time a lower bound of the squared distance of every point not yet handed out, so a search
 * stops as soon as nothing farther can matter.
 *
 * Squared distances are computed as `dx * dx + dy * dy` with `dx = point.x_km - from.x_km`, so they
 * are the same doubles a linear scan computing them so would compare; the bound of a box is
 * computed from its edges the same way, and rounding is monotone, so it never exceeds the squared
 * distance of a point in the box: points come out in non-decreasing squared distance. Points at
 * equal distance come out in no particular order: a caller that breaks ties by id reads on while
 * `bound()` equals the distance of its best.
 */
class SpatialIndex {
public:
  SpatialIndex() = default;
  /** What an index is built for: nearest-first searches only, or nearest_id lookups too. */
  enum class Lookups { searches, nearest_id };
  /**
   * An index over `points`, the i-th with id `ids[i]`. With Lookups::nearest_id it also builds
   * the cells that make nearest_id fast (a lookup without them searches the tree).
   */
  SpatialIndex(const std::vector<Point>& points, const std::vector<std::size_t>& ids,
               Lookups lookups = Lookups::searches);

  std::size_t size() const { return points_.size(); }

  /** A search from one point; `scratch` is its heap, reused between searches. */
  class Nearest {
  public:
    struct Found {
      std::size_t id;
      double d2; // squared distance from the query point
    };
    /** The next nearest point; false when every point has been handed out. */
    bool next(Found& found);
    /** A lower bound of the squared distance of every point not handed out yet (+inf if none). */
    double bound() const;

  private:
    friend class SpatialIndex;
    struct Entry {
      double d2;
      std::uint32_t index; // a node, or a point (with the point flag)
    };
    Nearest(const SpatialIndex& index, Point from, std::vector<Entry>& scratch);
    void push(double d2, std::uint32_t index);
    void pop();
    const SpatialIndex* index_;
    Point from_;
    std::vector<Entry>* heap_;
  };
  using Scratch = std::vector<Nearest::Entry>;

  Nearest nearest(Point from, Scratch& scratch) const { return Nearest(*this, from, scratch); }

  /**
   * The point of least (key, id) among those `key_of(id, d2)` does not skip (it returns an
   * optional key), found depth-first: `at_least(d2)` is a lower bound of the key of every point
   * at squared distance `d2` or more, non-decreasing in `d2`, and a subtree or point is skipped
   * only when that bound is above the best key, so ties are looked at and the least id among equal
   * keys wins. `best` and `best_key` come in as the best so far (empty `best`: none) and go out
   * updated.
   */
  template <class Key, class KeyOf, class AtLeast>
  void least(Point from, const KeyOf& key_of, const AtLeast& at_least,
             std::optional<std::size_t>& best, Key& best_key) const {
    if (!nodes_.empty()) {
      least_in(0, box_d2(nodes_[0], from), from, key_of, at_least, best, best_key);
    }
  }

  /**
   * The point of least (squared distance, id) from `from` (none if the index is empty): what
   * least() finds with the squared distance for key. The nearest and depot policies ask this at
   * every refuelling, so it looks in a grid first: a quadtree of cells over the points, split
   * where they are dense, each leaf listing the few points that can be nearest to some place in
   * it; a place in a leaf compares only those. A place outside, or in a leaf that would list more
   * than `max_candidates` (far from every point, or out of budget), searches the tree; so does
   * every place when the index has more than `max_grid_points` points.
   */
  std::optional<Nearest::Found> nearest_id(Point from) const;
  /** The cells of nearest_id's grid, and how many of them list candidates (the rest: the tree). */
  std::size_t cells() const;
  std::size_t listing_cells() const;

  /** Squared distance from `from` to `at`, as the index computes it. */
  static double squared_km(Point from, Point at) {
    const double dx = at.x_km - from.x_km;
    const double dy = at.y_km - from.y_km;
    return dx * dx + dy * dy;
  }

private:
  static constexpr std::uint32_t point_flag = 0x80000000u;
  static constexpr std::uint32_t leaf_size = 8;
  static constexpr std::size_t max_candidates = 16; // per cell of the grid, else the tree
  static constexpr int max_depth = 12;              // a cell is at least 1/4096 of the grid
  // Above this many points the index keeps no cells: at 7,000 stations (the 2025 plan tiled 100
  // times) the cells and lists outgrow the caches the tree fits in, and lookups took 12.6% of
  // the run against 7.6% for the tree's (perf, one day).
  static constexpr std::size_t max_grid_points = 2048;
  static constexpr std::size_t max_cells_per_point = 16; // the quadtree's budget (plus 64)
  struct Node {
    double min_x, min_y, max_x, max_y; // bounding box of its points
    std::uint32_t begin, end;          // its points, points_[begin, end)
    std::uint32_t left = 0, right = 0; // children (0: a leaf; the root is node 0)
  };
  std::uint32_t build(std::uint32_t begin, std::uint32_t end);
  template <class Key, class KeyOf, class AtLeast>
  void least_in(std::uint32_t at, double node_d2, Point from, const KeyOf& key_of,
                const AtLeast& at_least, std::optional<std::size_t>& best, Key& best_key) const {
    if (best && best_key < at_least(node_d2)) {
      return;
    }
    const Node& node = nodes_[at];
    if (node.left == 0) {
      for (std::uint32_t i = node.begin; i < node.end; ++i) {
        const double d2 = squared_km(from, points_[i]);
        if (best && best_key < at_least(d2)) {
          continue;
        }
        const std::size_t id = ids_[i];
        if (const std::optional<Key> key = key_of(id, d2)) {
          if (!best || *key < best_key || (*key == best_key && id < *best)) {
            best = id;
            best_key = *key;
          }
        }
      }
      return;
    }
    // The nearer child first: its points are likelier to set a good best, pruning the other.
    const double left_d2 = box_d2(nodes_[node.left], from);
    const double right_d2 = box_d2(nodes_[node.right], from);
    if (left_d2 <= right_d2) {
      least_in(node.left, left_d2, from, key_of, at_least, best, best_key);
      least_in(node.right, right_d2, from, key_of, at_least, best, best_key);
    } else {
      least_in(node.right, right_d2, from, key_of, at_least, best, best_key);
      least_in(node.left, left_d2, from, key_of, at_least, best, best_key);
    }
  }
  /** nearest_id by the tree alone (the index must not be empty). */
  Nearest::Found tree_nearest(Point from) const;
  void build_cells();
  /** Makes cells_[at], over `box`, a leaf with its candidates, or splits it into quarters. */
  void split(std::uint32_t at, const Node& box, int depth);
  /** Adds to the grid's lists the points within sqrt(r2) of `cell`'s box. */
  void collect_near(std::uint32_t at, const Node& cell, double r2);
  double box_d2(const Node& node, Point from) const;

  std::vector<Point> points_;
  std::vector<std::size_t> ids_;
  std::vector<Node> nodes_;
  // The grid of nearest_id: a quadtree of cells over grid_'s box; cells_[0] is the whole box. A
  // split cell's quarters are cells_[children + (x >= mid_x) + 2 * (y >= mid_y)]; a leaf's
  // candidates are cell_points_ and cell_ids_ [begin, end) (none: the tree).
  struct Cell {
    double mid_x = 0;
    double mid_y = 0;
    std::uint32_t children = 0; // 0: a leaf
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
  };
  Node grid_{};
  std::vector<Cell> cells_;
  std::vector<Point> cell_points_;
  std::vector<std::size_t> cell_ids_;
};

} // namespace h2sim
