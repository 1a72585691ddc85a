#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace h2sim {

namespace models {
struct ScenarioSpec;
struct ScenarioAccess;
} // namespace models

/** A point on the WGS84 ellipsoid, in degrees. */
struct LatLon {
  double lat = 0;
  double lon = 0;
};

/**
 * `at` as {x_km, y_km} in the km plane whose (0, 0) is `origin`: an equirectangular projection on a
 * sphere of the mean Earth radius (x km east, y km north). Distances in the plane approximate
 * great-circle ones: north-south exactly on the sphere, east-west scaled by cos(lat)/cos(origin's
 * lat), off by about tan(origin's lat) x (the latitude difference in radians): 0.5% 48 km north or
 * south of a Shanghai origin (31 N), 1% at 95 km.
 */
std::array<double, 2> project_equirectangular(const LatLon& at, const LatLon& origin);

/** A value an override changed: the override, where, and the JSON before (empty: absent) and after.
 */
struct Change {
  std::string set; // the override as given: PATH=VALUE (PATH may end with +, - or *)
  std::string pointer;
  std::string before;
  std::string after;
  /** The override as its user wrote it, for messages: "--seed 7", "--set PATH=VALUE". */
  std::string written{};
  /** The field changed takes whole numbers only (dispensers, open_stations, seed). */
  bool takes_integer = false;
};

/** Something legal but probably not meant: where (a JSON pointer) and what. */
struct Warning {
  std::string pointer;
  std::string message;
};

/**
 * A validated scenario, as `load_scenario` makes it from a file's text (or a JSON document) and
 * overrides: the only way to make one, so every scenario has passed a file's checks and run() never
 * hands a bad value to a replication. Cheap to copy (it shares what it holds, which is immutable).
 */
class Scenario {
public:
  const std::string& name() const;
  std::uint64_t seed() const;
  int replications() const;
  double horizon_days() const;
  double warmup_days() const; // 0 when automatic
  /** warmup_days is "auto": each replication chooses its own (MSER-5). */
  bool automatic_warmup() const;
  /**
   * Stations in the file, and how many of them (the first ones) are open at some time of the run
   * (the metrics' `open_stations`), and of those, how many at its start (fewer where the
   * scenario's events open some after the start, or a day-0 event leaves some closed).
   */
  std::size_t stations() const;
  std::size_t open_stations() const;
  std::size_t open_at_start() const;
  /** The stations' ids in the file's order (its build priority), open or not. */
  std::vector<std::string> station_ids() const;
  /** What the scenario allows but probably does not mean; also listed in the metrics. */
  const std::vector<Warning>& warnings() const;
  /** Every value the overrides changed, in the order they were applied. */
  const std::vector<Change>& changes() const;
  /** The SHA-256 of the text it was loaded from (before overrides), 64 hex digits. */
  const std::string& sha256() const;
  /** The files it read besides its own text (a trace's CSV), as it opened them. */
  const std::vector<std::string>& files() const;

private:
  friend struct models::ScenarioAccess; // the library's own way in (models/scenario_spec.hpp)
  explicit Scenario(std::shared_ptr<const models::ScenarioSpec> spec);
  std::shared_ptr<const models::ScenarioSpec> spec_;
};

} // namespace h2sim
