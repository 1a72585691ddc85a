// h2sim_stress: random what-ifs on the shipped scenarios, run on demand (not by ctest).
//
//   h2sim_stress [--runs N] [--seed S] [--days D] [--jobs J]
//
// Each run picks a shipped scenario and one to four random edits (stations open, trailer lead
// times, dispensers, pipeline capacity, buffers, storage, queue limits, demand, seed), runs it for
// D days and checks its books (tests/stress/what_if.hpp). Prints one JSON report; exit 1 if any
// run failed or broke its books.
#include "../support.hpp"
#include "core/random.hpp"
#include "what_if.hpp"

#include <h2sim/h2sim.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;
using h2sim::stress::WhatIf;
using nlohmann::json;

namespace {

WhatIf random_what_if(h2sim::RandomStream& rng) {
  using namespace h2sim::stress;
  const auto between = [&](double low, double high) { return low + (high - low) * rng.uniform(); };
  const auto integer = [&](int low, int high) {
    return low + static_cast<int>(rng.uniform() * (high - low + 1)) % (high - low + 1);
  };
  switch (integer(0, 11)) {
  case 0:
    return open_stations(integer(1, 70));
  case 1:
    return lead_time_times(rng.uniform() < 0.1 ? 0 : between(0.25, 4)); // 0: trailers at once
  case 2:
    return dispensers(integer(1, 4));
  case 3:
    return pipeline_capacity_times(between(0.05, 2));
  case 4:
    return buffers(rng.uniform() < 0.5);
  case 5:
    return storage_times(between(0.02, 1));
  case 6:
    return queue_capacity(integer(0, 10));
  case 7:
    return fleet_times(between(0.3, 3));
  case 8:
    return outage(between(0, 3), between(0.05, 3));
  case 9: {
    const double at = between(0, 2);
    return buildout(integer(1, 70), between(0.1, 1), at, at + between(0.05, 3));
  }
  default:
    return seed(integer(0, 1000000));
  }
}

} // namespace

int main(int argc, char** argv) {
  int runs = 100;
  std::uint64_t master = 1;
  double days = 1;
  int jobs = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string option = argv[i];
    const std::string value = argv[i + 1];
    if (option == "--runs") {
      runs = std::stoi(value);
    } else if (option == "--seed") {
      master = std::stoull(value);
    } else if (option == "--days") {
      days = std::stod(value);
    } else if (option == "--jobs") {
      jobs = std::stoi(value);
    } else {
      std::cerr << "usage: h2sim_stress [--runs N] [--seed S] [--days D] [--jobs J]\n";
      return 2;
    }
  }
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::recursive_directory_iterator(std::string(H2SIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  h2sim::RandomStream rng(master, 0, h2sim::entity_id("stress"));
  const auto started = std::chrono::steady_clock::now();
  json failures = json::array();
  int clean = 0;
  for (int run = 0; run < runs; ++run) {
    const fs::path& file =
        files[static_cast<std::size_t>(rng.uniform() * static_cast<double>(files.size())) %
              files.size()];
    json document = h2sim::stress::read_json(file.string());
    document["horizon_days"] = days;
    document["warmup_days"] = days / 4;
    document["replications"] = 1;
    // A national scenario runs with 1% of its vehicles, as in the suite (tests/support.hpp),
    // scaled in the file before the what-ifs: a build-out's events then grow the fleet back to
    // that 1%, not to the whole nation (an --set after them scaled only the counts at the start,
    // and a fleet multiplier then took a class past h2sim's limit of a million).
    if (!h2sim::test::national_scale_down(document.dump()).empty()) {
      for (auto& vehicle_class : document["demand"]["classes"]) {
        vehicle_class["count"] =
            std::max(1LL, std::llround(vehicle_class["count"].get<double>() * 0.01));
      }
    }
    std::string name = fs::relative(file, H2SIM_SOURCE_DIR).string();
    const int edits = 1 + static_cast<int>(rng.uniform() * 4);
    for (int e = 0; e < edits; ++e) {
      const WhatIf what_if = random_what_if(rng);
      what_if.edit(document);
      name += ", " + what_if.name;
    }
    std::vector<std::string> problems;
    try {
      const std::string text = document.dump();
      const auto scenario = h2sim::load_scenario(text, {}, file.parent_path().string());
      problems =
          h2sim::stress::check_books(h2sim::run(scenario, h2sim::RunOptions{jobs, {}, nullptr}));
    } catch (const h2sim::ScenarioError& error) {
      problems.push_back(std::string("invalid what-if (a bug of the generator): ") + error.what());
    } catch (const std::exception& error) {
      problems.push_back(std::string("run failed: ") + error.what());
    }
    if (problems.empty()) {
      ++clean;
    } else {
      failures.push_back({{"what_if", name}, {"problems", problems}});
    }
    std::cerr << "\r" << run + 1 << "/" << runs << " runs, " << failures.size() << " failed"
              << std::flush;
  }
  std::cerr << "\n";
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << json{{"runs", runs}, {"clean", clean},   {"seed", master},
                    {"days", days}, {"wall_s", wall_s}, {"failures", failures}}
                   .dump(2)
            << "\n";
  return failures.empty() ? 0 : 1;
}
