#pragma once

#include "../../core/calendar.hpp"
#include "../../core/geometry.hpp"
#include "../../core/params.hpp"

#include <deque>
#include <functional>
#include <string>

namespace h2sim::models {

/** A depot of tube trailers that many stations order from. */
struct DepotSpec {
  std::string id;
  Point location;
  int trailers = 1;
  double speed_kmh = 40;
  double road_factor = 1;
};
/** The parameters of a depot (`depots[]`). */
const params::Table& depot_table();

/**
 * A depot of tube trailers shared by the stations that order from it. An order waits (first come,
 * first served) for a free trailer; the trailer is loaded, drives to the station, unloads and
 * drives back before it can take the next order. Few trailers for many stations show up as orders
 * waiting, and so as stockouts at the stations.
 */
class TrailerDepot {
public:
  TrailerDepot(const DepotSpec& spec, Calendar& calendar);

  /**
   * Sends a trailer to `station` once one is free: `load_min` at the depot, the drive, then
   * `unload` runs at the station, in a local event (Calendar::Scope): it fills a tank, and must
   * start, read or stop no flow on a shared capacity.
   */
  void dispatch(Point station, double load_min, std::function<void()> unload);

  std::size_t waiting() const { return waiting_.size(); }

  /**
   * From now on the depot is `next`: more trailers take waiting orders at once; with fewer, the
   * trailers on the road are retired as they come back. Speed applies to trips from now on.
   */
  void follow(const DepotSpec& next);

private:
  struct Order {
    Point station;
    double load_min;
    std::function<void()> unload;
  };
  void send(Order order);
  /** Free trailers take waiting orders. */
  void send_waiting();

  const DepotSpec* spec_;
  Calendar* calendar_;
  int free_; // < 0 while more trailers are on the road than the depot has
  std::deque<Order> waiting_;
};

} // namespace h2sim::models
