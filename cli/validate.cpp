// `h2sim validate`: every problem of a scenario file; exit 0 valid, 2 invalid.
#include "common.hpp"

#include <iostream>

namespace h2sim::cli {

int command_validate(const std::string& path, const std::vector<std::string>& sets) {
  const Scenario scenario = load(path, sets);
  std::cerr << valid_utf8(path) << ": valid (" << scenario.stations()
            << (scenario.stations() == 1 ? " station, " : " stations, ");
  // A day-0 event may open fewer than the network's (every station open at some time).
  if (scenario.open_at_start() != scenario.open_stations()) {
    std::cerr << scenario.open_at_start() << " open at the start, " << scenario.open_stations()
              << " at some time)\n";
  } else {
    std::cerr << scenario.open_stations() << " open)\n";
  }
  return exit_ok;
}

} // namespace h2sim::cli
