#pragma once

#include "../core/geometry.hpp"
#include "../core/params.hpp"
#include "availability.hpp"
#include "buffered_dispensers.hpp"
#include "economics.hpp"
#include "observer.hpp"
#include "supply/tank.hpp"

#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace h2sim::models {

/** A station as the scenario declares it. */
struct StationSpec {
  std::string id;
  std::string name;
  Point location;
  int dispensers = 1;
  double fill_rate_kg_per_min = 1;
  double overhead_min = 0;
  std::optional<int> queue_capacity;    // vehicles that may wait; empty = unlimited
  std::optional<double> arrivals_per_h; // this station's Poisson rate, overriding the demand's
  std::optional<StorageSpec> storage;   // empty: unlimited hydrogen
  params::Model supply;                 // no name: unlimited without storage, none with it
  std::optional<AvailabilitySpec> availability;     // empty: always open
  std::vector<std::string> pressures{"H35", "H70"}; // pressure classes it can fill
  std::optional<BufferSpec> buffer;                 // empty: fills always run at the fill rate
  std::optional<StationCosts> economics;            // keys replacing economics.station's

  /** The supply model that runs here: the one named, else the default for the storage. */
  std::string supply_model() const {
    return !supply.name().empty() ? supply.name() : storage ? "none" : "unlimited";
  }
  /** Whether hydrogen is limited here (storage given and a supply model other than unlimited). */
  bool finite() const { return storage && supply_model() != "unlimited"; }
};

/** The parameters of a station (`stations[]`). */
const params::Table& station_table();

/** What one driver will put up with: balk above this many waiting; renege after this long. */
struct DriverLimits {
  std::optional<std::size_t> balk_if_waiting_over;
  double patience_min = INFINITY;
};

/** The pressure classes a station or vehicle may have. */
inline const std::vector<std::string>& pressure_classes() {
  static const std::vector<std::string> classes{"H35", "H70"};
  return classes;
}

class Dispensers;
class Supply;
class Tank;
struct SupplyContext;

/**
 * One open station: its dispensers, and, when hydrogen is limited, its tank and the supply model
 * refilling it; when it is sometimes closed, its availability. A visit goes: closed? full (or the
 * driver balks at the queue)? would the driver renege (where starts are known on arrival)? can
 * the station promise the hydrogen? then the dispensers take the vehicle.
 */
class Station {
public:
  /**
   * With finite storage, `supply` has what the station's supply model may use (the station adds
   * its own tank to it); null otherwise.
   */
  Station(const StationSpec& spec, std::size_t index, std::unique_ptr<Dispensers> dispensers,
          std::unique_ptr<Availability> availability, const SupplyContext* supply,
          Observer& observer);
  ~Station();
  Station(Station&&) noexcept;
  Station& operator=(Station&&) = delete;

  const StationSpec& spec() const { return *spec_; }
  Dispensers& dispensers() { return *dispensers_; }
  const Dispensers& dispensers() const { return *dispensers_; }

  /** A vehicle arrives at `now` for `kg`; `done`, if given, runs when its visit is over. */
  void refuel(double now, double kg, RandomStream& rng, std::size_t vehicle_class,
              const std::function<void(const Visit&)>& done, const DriverLimits& driver,
              std::uint32_t vehicle = no_vehicle);

  /** Starts the supply model (first orders, flows) and reports the closures: once, at time 0. */
  void start(double now);
  /** From now on the station is `next` (same station, some values changed: see Network::follow). */
  void follow(const StationSpec& next);
  /**
   * Whether it is in service (built and open for business, see ScenarioSpec::in_service): out of
   * service, a vehicle that comes finds it closed. Its supply keeps its storage stocked.
   */
  void set_in_service(double now, bool in_service) {
    if (in_service != in_service_) {
      in_service_ = in_service;
      observer_->on_service(index_, in_service, now);
    }
  }
  bool in_service() const { return in_service_; }
  /**
   * Whether a visit here may touch a shared capacity (a pipeline feeding its tank, a compressor
   * feeding its dispensers); if not, an arrival here may be scheduled as a local event.
   */
  bool shares_capacity() const { return shares_capacity_; }
  /** The scope of an event that visits this station or draws from its tank (Calendar::Scope). */
  Calendar::Scope scope() const {
    return shares_capacity() ? Calendar::Scope::shared : Calendar::Scope::local;
  }
  void begin_window(double now);
  /** Reports the window's closures and hydrogen to the observer. */
  void end_window(double window_start, double now);
  /** Reports the window's hydrogen so far to the observer (at a series bin's edge). */
  void report_supply_so_far(double now);

  /**
   * The most vehicles one station may have waiting: beyond, the run fails naming the station. Once
   * the window has ended (while buffered stations finish serving its vehicles), arrivals beyond
   * it balk instead: they count nowhere, and under FCFS they are behind every vehicle that does.
   */
  static constexpr std::size_t max_waiting = 1'000'000;

private:
  void draw(double now, double kg);

  const StationSpec* spec_;
  std::size_t index_;
  std::unique_ptr<Dispensers> dispensers_;
  std::unique_ptr<Availability> availability_; // stations that are sometimes closed
  bool in_service_ = true;
  bool window_ended_ = false;
  std::unique_ptr<Tank> tank_;     // finite storage only
  std::unique_ptr<Supply> supply_; // likewise
  bool shares_capacity_ = false;
  Observer* observer_;
};

} // namespace h2sim::models
