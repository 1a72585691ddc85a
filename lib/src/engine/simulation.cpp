#include "simulation.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>
#include <spdlog/spdlog.h>

#include <stdexcept>
#include <vector>

#include "../core/calendar.hpp"
#include "../models/demand/demand_model.hpp"
#include "../models/network.hpp"
#include "../report/collector.hpp"

namespace h2sim::engine {

namespace {

/**
 * Model events as SimGrid kernel timers. A timer runs in the kernel without a context switch, so a
 * refuelling costs one timer and no actor activity (DESIGN-NOTES.md: actors per vehicle are 20x
 * slower). SimGrid orders timers by date; events at equal dates run in the order scheduled.
 */
class SimGridCalendar final : public Calendar {
public:
  double now() const override { return simgrid::s4u::Engine::get_clock(); }

  void schedule(double at, std::function<void()> action) override {
    simgrid::kernel::timer::Timer::set(at, [this, action = std::move(action)] {
      ++events_;
      action();
    });
  }

  std::uint64_t events() const { return events_; }

private:
  std::uint64_t events_ = 0;
};

constexpr double minutes_per_day = 1440.0;

} // namespace

ReplicationResult simulate(const Scenario& scenario, std::uint64_t seed, std::uint64_t replication) {
  // SimGrid parses its own options from argv; ours never reach it. Keep it quiet but for failures.
  std::vector<std::string> args{"h2sim", "--log=root.thres:critical", "--cfg=contexts/factory:raw"};
  std::vector<char*> argv;
  for (std::string& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  simgrid::s4u::Engine engine(&argc, argv.data());
  auto* city = simgrid::s4u::create_full_zone("city");
  city->create_host("stations", 1.0);
  city->seal();

  const double window_start = scenario.warmup_days * minutes_per_day;
  const double window_end = window_start + scenario.horizon_days * minutes_per_day;

  report::Collector collector(scenario, window_start, window_end);
  models::Network network(scenario, collector);
  const auto& factories = models::demand_models();
  const auto factory = factories.find(models::demand_model_name(scenario.demand));
  if (factory == factories.end()) {
    throw std::logic_error("no demand model registered as " +
                           models::demand_model_name(scenario.demand));
  }
  std::unique_ptr<models::DemandModel> demand =
      factory->second(scenario, network, models::Seeds{seed, replication});

  SimGridCalendar calendar;
  demand->start(calendar);
  spdlog::debug("replication {}: simulating {} minutes", replication, window_end);
  engine.run_until(window_end);

  return {collector.metrics(), calendar.events()};
}

} // namespace h2sim::engine
