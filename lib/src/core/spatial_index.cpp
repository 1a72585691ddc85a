#include "spatial_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace h2sim {

SpatialIndex::SpatialIndex(const std::vector<Point>& points, const std::vector<std::size_t>& ids,
                           Lookups lookups) {
  if (points.size() != ids.size()) {
    throw std::invalid_argument("SpatialIndex: one id per point");
  }
  if (points.size() >= point_flag) {
    throw std::invalid_argument("SpatialIndex: too many points");
  }
  points_ = points;
  ids_ = ids;
  if (!points_.empty()) {
    nodes_.reserve(2 * (points_.size() / leaf_size + 1));
    build(0, static_cast<std::uint32_t>(points_.size()));
    if (lookups == Lookups::nearest_id) {
      build_cells();
    }
  }
}

std::uint32_t SpatialIndex::build(std::uint32_t begin, std::uint32_t end) {
  const auto at = static_cast<std::uint32_t>(nodes_.size());
  Node node{INFINITY, INFINITY, -INFINITY, -INFINITY, begin, end};
  for (std::uint32_t i = begin; i < end; ++i) {
    node.min_x = std::min(node.min_x, points_[i].x_km);
    node.min_y = std::min(node.min_y, points_[i].y_km);
    node.max_x = std::max(node.max_x, points_[i].x_km);
    node.max_y = std::max(node.max_y, points_[i].y_km);
  }
  nodes_.push_back(node);
  if (end - begin <= leaf_size) {
    return at;
  }
  // Split the wider side at the median, points and ids together.
  const bool by_x = node.max_x - node.min_x >= node.max_y - node.min_y;
  const std::uint32_t middle = begin + (end - begin) / 2;
  std::vector<std::uint32_t> order(end - begin);
  std::iota(order.begin(), order.end(), begin);
  std::nth_element(order.begin(), order.begin() + (middle - begin), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) {
                     return by_x ? points_[a].x_km < points_[b].x_km
                                 : points_[a].y_km < points_[b].y_km;
                   });
  std::vector<Point> points(end - begin);
  std::vector<std::size_t> ids(end - begin);
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    points[i] = points_[order[i]];
    ids[i] = ids_[order[i]];
  }
  std::copy(points.begin(), points.end(), points_.begin() + begin);
  std::copy(ids.begin(), ids.end(), ids_.begin() + begin);
  const std::uint32_t left = build(begin, middle);
  const std::uint32_t right = build(middle, end);
  nodes_[at].left = left;
  nodes_[at].right = right;
  return at;
}

void SpatialIndex::build_cells() {
  if (size() > max_grid_points) {
    return; // no cells: every lookup searches the tree (see max_grid_points)
  }
  // A square over the points' bounding box grown by a quarter of its span on every side (where
  // the fleets' areas reach past the stations), split into quarters where its cells would list
  // too many points: cells follow the points' density, so a country of cities gets small cells
  // in each city and large ones between.
  const Node& root = nodes_[0];
  const double side = 1.5 * std::max({root.max_x - root.min_x, root.max_y - root.min_y, 1.0});
  const double centre_x = 0.5 * (root.min_x + root.max_x);
  const double centre_y = 0.5 * (root.min_y + root.max_y);
  grid_ = Node{centre_x - 0.5 * side,
               centre_y - 0.5 * side,
               centre_x + 0.5 * side,
               centre_y + 0.5 * side,
               0,
               0};
  cells_.assign(1, Cell{});
  cell_points_.clear();
  cell_ids_.clear();
  split(0, grid_, 0);
}

void SpatialIndex::split(std::uint32_t at, const Node& box, int depth) {
  // For a place p in the box, with c its centre and s_c the point nearest to c:
  // |p s*| <= |p s_c| <= |p c| + |c s_c| <= half_diagonal + |c s_c| = r for the nearest s*, so
  // the distance from the box to s* is at most r; the candidates are the points that close to
  // the box. The margins take in rounding.
  const double half_diagonal = 0.5 * std::hypot(box.max_x - box.min_x, box.max_y - box.min_y);
  const Point centre{0.5 * (box.min_x + box.max_x), 0.5 * (box.min_y + box.max_y)};
  const double nearest_d2 = tree_nearest(centre).d2;
  const double r = (std::sqrt(nearest_d2) + half_diagonal) * (1 + 1e-9) + 1e-6;
  const std::size_t begin = cell_ids_.size();
  collect_near(0, box, r * r);
  const bool crowded = cell_ids_.size() - begin > max_candidates;
  // Only a cell with points near it gains by splitting: one far from every point (the land
  // between cities) lists the whole nearest city at any size. A budget of cells bounds the rest.
  const double side = std::max(box.max_x - box.min_x, box.max_y - box.min_y);
  const bool may_split = depth < max_depth && nearest_d2 <= 4 * side * side &&
                         cells_.size() + 4 <= max_cells_per_point * size() + 64;
  if (!crowded || !may_split) {
    if (crowded) {
      // Too many points near it at any size (points at one place) or no budget left: it lists
      // none, and a place in it searches the tree.
      cell_points_.resize(begin);
      cell_ids_.resize(begin);
    }
    cells_[at].begin = static_cast<std::uint32_t>(begin);
    cells_[at].end = static_cast<std::uint32_t>(cell_ids_.size());
    return;
  }
  cell_points_.resize(begin);
  cell_ids_.resize(begin);
  const auto first = static_cast<std::uint32_t>(cells_.size());
  cells_[at].children = first;
  cells_[at].mid_x = centre.x_km;
  cells_[at].mid_y = centre.y_km;
  cells_.resize(cells_.size() + 4);
  for (std::uint32_t quarter = 0; quarter < 4; ++quarter) {
    Node child = box; // a place goes to the quarter by x >= mid_x and y >= mid_y, as here
    ((quarter & 1U) != 0 ? child.min_x : child.max_x) = centre.x_km;
    ((quarter & 2U) != 0 ? child.min_y : child.max_y) = centre.y_km;
    split(first + quarter, child, depth + 1);
  }
}

void SpatialIndex::collect_near(std::uint32_t at, const Node& cell, double r2) {
  const Node& node = nodes_[at];
  const double gx = std::max({0.0, node.min_x - cell.max_x, cell.min_x - node.max_x});
  const double gy = std::max({0.0, node.min_y - cell.max_y, cell.min_y - node.max_y});
  if (gx * gx + gy * gy > r2) {
    return;
  }
  if (node.left == 0) {
    for (std::uint32_t i = node.begin; i < node.end; ++i) {
      if (box_d2(cell, points_[i]) <= r2) {
        cell_points_.push_back(points_[i]);
        cell_ids_.push_back(ids_[i]);
      }
    }
    return;
  }
  const std::uint32_t left = node.left; // nodes_ does not move, but node is a reference
  const std::uint32_t right = node.right;
  collect_near(left, cell, r2);
  collect_near(right, cell, r2);
}

std::size_t SpatialIndex::cells() const {
  std::size_t leaves = 0;
  for (const Cell& cell : cells_) {
    leaves += cell.children == 0 ? 1U : 0U;
  }
  return leaves;
}

std::size_t SpatialIndex::listing_cells() const {
  std::size_t listing = 0;
  for (const Cell& cell : cells_) {
    listing += cell.children == 0 && cell.begin < cell.end ? 1U : 0U;
  }
  return listing;
}

SpatialIndex::Nearest::Found SpatialIndex::tree_nearest(Point from) const {
  // least() with the squared distance for key (and for its bound).
  std::optional<std::size_t> best;
  double best_d2 = INFINITY;
  least(
      from, [](std::size_t, double d2) { return std::optional<double>(d2); },
      [](double d2) { return d2; }, best, best_d2);
  return {*best, best_d2};
}

std::optional<SpatialIndex::Nearest::Found> SpatialIndex::nearest_id(Point from) const {
  if (nodes_.empty()) {
    return std::nullopt;
  }
  if (!cells_.empty() && from.x_km >= grid_.min_x && from.x_km <= grid_.max_x &&
      from.y_km >= grid_.min_y && from.y_km <= grid_.max_y) {
    std::uint32_t at = 0;
    while (cells_[at].children != 0) {
      const Cell& cell = cells_[at];
      at =
          cell.children + (from.x_km >= cell.mid_x ? 1U : 0U) + (from.y_km >= cell.mid_y ? 2U : 0U);
    }
    const Cell& leaf = cells_[at];
    if (leaf.begin < leaf.end) {
      std::size_t best = std::numeric_limits<std::size_t>::max();
      double best_d2 = INFINITY;
      for (std::uint32_t i = leaf.begin; i < leaf.end; ++i) {
        const double d2 = squared_km(from, cell_points_[i]);
        if (d2 < best_d2 || (d2 == best_d2 && cell_ids_[i] < best)) {
          best = cell_ids_[i];
          best_d2 = d2;
        }
      }
      return Nearest::Found{best, best_d2};
    }
  }
  return tree_nearest(from);
}

double SpatialIndex::box_d2(const Node& node, Point from) const {
  // The gap on each axis, computed as a point's dx is (edge - from), so it never exceeds |dx|.
  const double gx = from.x_km < node.min_x   ? node.min_x - from.x_km
                    : from.x_km > node.max_x ? node.max_x - from.x_km
                                             : 0.0;
  const double gy = from.y_km < node.min_y   ? node.min_y - from.y_km
                    : from.y_km > node.max_y ? node.max_y - from.y_km
                                             : 0.0;
  return gx * gx + gy * gy;
}

SpatialIndex::Nearest::Nearest(const SpatialIndex& index, Point from, std::vector<Entry>& scratch)
    : index_(&index), from_(from), heap_(&scratch) {
  heap_->clear();
  if (!index.nodes_.empty()) {
    push(index.box_d2(index.nodes_[0], from), 0);
  }
}

namespace {
struct Farther {
  template <class E> bool operator()(const E& a, const E& b) const { return a.d2 > b.d2; }
};
} // namespace

void SpatialIndex::Nearest::push(double d2, std::uint32_t index) {
  heap_->push_back({d2, index});
  std::push_heap(heap_->begin(), heap_->end(), Farther{});
}

void SpatialIndex::Nearest::pop() {
  std::pop_heap(heap_->begin(), heap_->end(), Farther{});
  heap_->pop_back();
}

bool SpatialIndex::Nearest::next(Found& found) {
  while (!heap_->empty()) {
    const Entry top = heap_->front();
    pop();
    if ((top.index & point_flag) != 0) {
      const std::uint32_t i = top.index & ~point_flag;
      found = {index_->ids_[i], top.d2};
      return true;
    }
    const Node& node = index_->nodes_[top.index];
    if (node.left == 0) {
      for (std::uint32_t i = node.begin; i < node.end; ++i) {
        push(squared_km(from_, index_->points_[i]), i | point_flag);
      }
    } else {
      push(index_->box_d2(index_->nodes_[node.left], from_), node.left);
      push(index_->box_d2(index_->nodes_[node.right], from_), node.right);
    }
  }
  return false;
}

double SpatialIndex::Nearest::bound() const {
  return heap_->empty() ? std::numeric_limits<double>::infinity() : heap_->front().d2;
}

} // namespace h2sim
