// `h2sim validate`: every problem of a scenario file; exit 0 valid, 2 invalid.
#include "common.hpp"

#include <iostream>

namespace h2sim::cli {

int command_validate(const std::string& path, const std::vector<std::string>& sets) {
  const Scenario scenario = load(path, sets);
  std::cerr << valid_utf8(path) << ": valid (" << scenario.stations()
            << (scenario.stations() == 1 ? " station, " : " stations, ")
            << open_stations_text(scenario) << ")\n";
  return exit_ok;
}

} // namespace h2sim::cli
