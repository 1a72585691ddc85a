#include "spatial_index.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace h2sim {

SpatialIndex::SpatialIndex(const std::vector<Point>& points, const std::vector<std::size_t>& ids) {
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
