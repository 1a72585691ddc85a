#pragma once

#include "../../core/calendar.hpp"
#include "../../core/random.hpp"
#include "../../core/shared_capacity.hpp"
#include "../station.hpp"
#include "tank.hpp"
#include "trailer_depot.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace h2sim::models {

/**
 * How a station's tank is refilled. The station calls catch_up before it looks at the tank and
 * after_draw when a fill has taken hydrogen; the model adds inflow through Tank::add.
 */
class Supply {
public:
  virtual ~Supply() = default;
  /** At time 0: place a first order, start a flow. */
  virtual void start(double) {}
  /** Credits the tank with continuous inflow up to `now`. */
  virtual void catch_up(double) {}
  /**
   * A look at the tank from outside the model (a series bin's edge): credits the inflow up to
   * `now` as catch_up does, and must not change when the model ends a dry spell, so that the bins
   * asked for do not change the metrics.
   */
  virtual void look(double now) { catch_up(now); }
  /** The tank gave hydrogen at `now` (a fill started). */
  virtual void after_draw(double) {}
  /** Hydrogen was promised to an admitted vehicle at `now` (the free stock fell). */
  virtual void after_promise(double) {}
  /** A vehicle wanting `kg` was turned away at `now`. */
  virtual void after_refusal(double, double) {}
  /** From now on the station is `next`: a model follows the parameters it declared changeable. */
  virtual void follow(const StationSpec&) {}
  /** Electricity used so far (on-site production), kWh; cumulative since time 0. */
  virtual double energy_kwh() const { return 0; }
  /**
   * Whether the station's calls above may start, read or stop a flow on a shared capacity (a
   * pipeline): then no visit to the station is a local event (Calendar::Scope).
   */
  virtual bool shares_capacity() const { return false; }
};

/** What a supply model may use: its tank, the clock, its random stream, the shared pipelines. */
struct SupplyContext {
  const StationSpec* station;
  Tank* tank;
  Calendar* calendar;
  RandomStream rng;
  std::map<std::string, SharedCapacity*> pipelines; // by id
  std::map<std::string, TrailerDepot*> depots;      // by id
};

using SupplyFactory = std::function<std::unique_ptr<Supply>(SupplyContext)>;

} // namespace h2sim::models
