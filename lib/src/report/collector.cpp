#include "collector.hpp"

#include "../models/demand/fleet.hpp"

#include <cmath>

namespace h2sim::report {

Setup setup_of(const models::ScenarioSpec& scenario) {
  Setup setup;
  setup.books = models::station_books(scenario);
  for (std::size_t i = 0; i < scenario.open_stations(); ++i) {
    const models::StationSpec& spec = scenario.stations[i];
    setup.labels.stations.push_back(spec.id);
    StationTally& station = setup.stations.emplace_back();
    station.dispensers = spec.dispensers;
    station.groups = spec.buffer.has_value() ? group::buffered : 0;
    // Closed at some time (its availability, or out of service by a scheduled open_stations):
    // visits may find it closed. Known from the scenario, so that every replication reports the
    // same fields.
    if (spec.availability.has_value() || scenario.ever_out_of_service(i)) {
      station.groups |= group::closures;
    }
    if (!setup.books.empty()) {
      const models::StationBook& book = setup.books[i];
      station.groups |= group::economics;
      station.capex = book.capex;
      station.annualized_capex = book.annualized_capex;
      station.fixed_om_per_year = book.fixed_om_per_year;
    }
    setup.queues.push_back({static_cast<double>(spec.dispensers), spec.queue_capacity});
  }
  if (scenario.demand.name() == "fleet") {
    for (const models::VehicleClass& spec : scenario.demand.as<models::FleetParams>().classes) {
      setup.labels.classes.push_back(spec.name);
      ClassTally& tally = setup.classes.emplace_back();
      tally.vehicles = static_cast<std::uint64_t>(spec.count);
      tally.mean_vehicles = static_cast<double>(tally.vehicles);
    }
  }
  return setup;
}

Collector::Collector(const models::ScenarioSpec& scenario, double window_start, double window_end)
    : window_{window_start, window_end} {
  Setup setup = setup_of(scenario);
  books_ = std::move(setup.books);
  stations_ = std::move(setup.stations);
  classes_ = std::move(setup.classes);
  average_counts(scenario);
  const double bin_days = scenario.bin_days();
  window_.bins = bins_of(scenario.horizon_days, bin_days);
  if (window_.bins > 0) {
    window_.bin_min = bin_days * 1440.0;
    per_bin_min_ = 1.0 / window_.bin_min;
    for (std::size_t k = 0; k <= window_.bins; ++k) {
      edges_.push_back(window_.bin_start(k));
    }
    for (StationTally& station : stations_) {
      station.series.resize(window_.bins);
    }
    network_.series_wait.resize(window_.bins);
    supply_so_far_.resize(stations_.size());
    supply_bins_.resize(stations_.size());
  }
}

void Collector::average_counts(const models::ScenarioSpec& scenario) {
  if (scenario.demand.name() != "fleet" || window_.end <= window_.start) {
    return;
  }
  // The count in force over [from, to): the file's, then each step's from its time on.
  const auto counts_of = [](const models::ScenarioSpec& state) {
    std::vector<double> counts;
    for (const models::VehicleClass& spec : state.demand.as<models::FleetParams>().classes) {
      counts.push_back(static_cast<double>(spec.count));
    }
    return counts;
  };
  std::vector<double> in_force = counts_of(scenario);
  bool changed = false;
  std::vector<double> vehicle_min(classes_.size(), 0.0);
  double from = window_.start;
  const auto add_until = [&](double to) {
    const double length = std::min(to, window_.end) - from;
    if (length > 0) {
      for (std::size_t c = 0; c < vehicle_min.size() && c < in_force.size(); ++c) {
        vehicle_min[c] += in_force[c] * length;
      }
      from += length;
    }
  };
  for (const models::Step& step : scenario.timeline) {
    add_until(step.at_min);
    std::vector<double> next = counts_of(*step.state);
    changed = changed || next != in_force;
    in_force = std::move(next);
  }
  add_until(window_.end);
  if (!changed) {
    return; // the file's counts throughout, exactly
  }
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    classes_[c].mean_vehicles = vehicle_min[c] / (window_.end - window_.start);
    classes_[c].vehicles = static_cast<std::uint64_t>(std::llround(classes_[c].mean_vehicles));
  }
}

void Collector::spread_across(std::vector<SeriesBin>& series, double SeriesBin::*member,
                              double from, double to, std::size_t k) const {
  for (;; ++k) {
    const double edge = edges_[k + 1];
    if (to <= edge || k + 1 >= window_.bins) {
      series[k].*member += to - from;
      return;
    }
    series[k].*member += edge - from;
    from = edge;
  }
}

void Collector::spread_hours_across(std::array<double, hours>& by_hour, double from, double to) {
  while (from < to) {
    const double hour = std::floor(from / 60.0);
    const double edge = std::min(to, (hour + 1.0) * 60.0);
    by_hour[hour_of_day(hour)] += edge - from;
    from = edge;
  }
}

void Collector::on_visit(const models::Visit& visit) {
  using models::Outcome;
  StationTally& tally = stations_[visit.station];
  const bool series = window_.bins > 0;
  if (visit.outcome == Outcome::reneged || visit.outcome == Outcome::waiting_at_end) {
    tally.queue_area += overlap(visit.arrival, visit.start); // it waited, then left or stayed
    spread_hours(tally.hourly_queue_area, visit.arrival, visit.start);
    if (series) {
      spread(tally.series, &SeriesBin::queue_area, visit.arrival, visit.start);
    }
  }
  if (visit.served()) {
    tally.busy_min += overlap(visit.start, visit.end);
    tally.queue_area += overlap(visit.arrival, visit.start);
    spread_hours(tally.hourly_busy_min, visit.start, visit.end);
    spread_hours(tally.hourly_queue_area, visit.arrival, visit.start);
    if (series) {
      spread(tally.series, &SeriesBin::busy_min, visit.start, visit.end);
      spread(tally.series, &SeriesBin::queue_area, visit.arrival, visit.start);
    }
    // Hydrogen counts when it leaves the station: fills that start in the window (as storage does).
    if (visit.start >= window_.start && visit.start < window_.end) {
      tally.dispensed_kg += visit.kg;
      if (series) {
        tally.series[bin_of(visit.start)].dispensed_kg += visit.kg;
      }
      if (!classes_.empty()) {
        classes_[visit.vehicle_class].dispensed_kg += visit.kg;
      }
    }
  }
  if (visit.arrival < window_.start || visit.arrival >= window_.end) {
    return;
  }
  // Visits count in the bin of their arrival; a scratch bin when there are no series.
  const std::size_t k = series ? bin_of(visit.arrival) : 0;
  SeriesBin& bin = series ? tally.series[k] : unbinned_;
  ++bin.arrivals;
  ++tally.arrivals;
  const std::size_t hour = hour_of_day_at(visit.arrival);
  ++tally.hourly_arrivals[hour];
  tally.queue_max = std::max<std::uint64_t>(tally.queue_max, visit.waiting);
  ClassTally* vc = classes_.empty() ? nullptr : &classes_[visit.vehicle_class];
  switch (visit.outcome) {
  case Outcome::turned_away:
    ++tally.turned_away_stockout;
    ++bin.turned_away_stockout;
    return;
  case Outcome::closed: // by its availability, or out of service (open_stations)
    ++tally.diverted_closed;
    ++bin.diverted_closed;
    return;
  case Outcome::balked:
    ++tally.balked;
    ++bin.balked;
    return;
  case Outcome::waiting_at_end:
    ++tally.waiting_at_end;
    return;
  case Outcome::reneged:
    ++tally.reneged;
    ++bin.reneged;
    tally.abandon_wait.add(visit.start - visit.arrival);
    if (vc != nullptr) {
      ++vc->reneged;
      vc->abandon_wait.add(visit.start - visit.arrival);
    }
    return;
  case Outcome::served:
    break;
  }
  const double wait = visit.start - visit.arrival;
  ++tally.served;
  if (probe_) {
    batches_.add(wait, visit.arrival);
  }
  // One bucket for every sketch the wait goes in (they share one accuracy).
  const QuantileSketch::Sample sample = tally.hourly_wait[hour].sample(wait);
  tally.hourly_wait[hour].add(sample); // the station's wait: their merge
  tally.time_in_system_sum_min += visit.end - visit.arrival;
  ++bin.served;
  bin.wait_sum_min += wait;
  bin.waited_over_5_min += wait > 5.0 ? 1U : 0U;
  if (series) {
    network_.series_wait[k].add(sample);
  }
  if (vc != nullptr) {
    ++vc->refuels;
    vc->wait.add(sample);
  }
}

void Collector::on_give_up(std::size_t vehicle_class, std::size_t, double at) {
  if (at >= window_.start && at < window_.end) {
    ++classes_[vehicle_class].gave_up;
  }
}

void Collector::on_availability(std::size_t station, double closed_min, double outage_min) {
  StationTally& tally = stations_[station];
  tally.groups |= group::availability;
  tally.closed_min = closed_min;
  tally.outage_min = outage_min;
}

void Collector::close_supply_bin(std::size_t station, const models::SupplyReport& so_far) {
  std::size_t& k = supply_bins_[station];
  if (k >= window_.bins) {
    return;
  }
  models::SupplyReport& books = supply_so_far_[station];
  SeriesBin& bin = stations_[station].series[k++];
  bin.delivered_kg = so_far.delivered_kg - books.delivered_kg;
  bin.deliveries = so_far.deliveries - books.deliveries;
  bin.stockout_min = so_far.stockout_min - books.stockout_min;
  bin.inventory_end_kg = so_far.inventory_end_kg;
  books = so_far;
}

void Collector::on_supply_so_far(std::size_t station, const models::SupplyReport& so_far) {
  if (window_.bins > 0) {
    close_supply_bin(station, so_far);
  }
}

void Collector::on_supply(std::size_t station, const models::SupplyReport& report) {
  if (window_.bins > 0) {
    close_supply_bin(station, report);
  }
  StationTally& tally = stations_[station];
  tally.groups |= group::supply;
  tally.delivered_kg = report.delivered_kg;
  tally.deliveries = report.deliveries;
  tally.stockout_min = report.stockout_min;
  tally.inventory_start_kg = report.inventory_start_kg;
  tally.inventory_end_kg = report.inventory_end_kg;
  tally.inventory_min_kg = report.inventory_min_kg;
  tally.energy_kwh = report.energy_kwh;
}

void Collector::on_trip(const models::Trip& trip) {
  if (trip.arrival < window_.start || trip.arrival >= window_.end) {
    return;
  }
  ClassTally& vc = classes_[trip.vehicle_class];
  vc.km_driven += trip.km;
  vc.detour_km += trip.detour_km;
  vc.stranded += trip.stranded ? 1U : 0U;
}

void price(StationTally& station, const models::StationBook& book) {
  double waited_min = station.abandon_wait.sum();
  for (const QuantileSketch& hour : station.hourly_wait) {
    waited_min += hour.sum();
  }
  station.hydrogen_cost = station.dispensed_kg * book.hydrogen_per_kg;
  station.electricity_cost = station.energy_kwh * book.electricity_per_kwh;
  station.delivery_cost = static_cast<double>(station.deliveries) * book.per_delivery;
  station.waiting_cost = waited_min / 60.0 * book.waiting_per_hour;
}

ReplicationTallies Collector::tallies() const {
  ReplicationTallies tallies{window_, stations_, classes_, network_};
  for (std::size_t i = 0; i < books_.size(); ++i) {
    price(tallies.stations[i], books_[i]);
  }
  return tallies;
}

} // namespace h2sim::report
