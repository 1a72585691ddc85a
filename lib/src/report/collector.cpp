#include "collector.hpp"

#include <algorithm>
#include <cmath>

namespace h2sim::report {

using nlohmann::ordered_json;

namespace {
/** The fleet's parameters, for the metrics of its classes; null when the demand is no fleet. */
const models::FleetParams* fleet_of(const models::ScenarioSpec& scenario) {
  return scenario.demand.name() == "fleet" ? &scenario.demand.as<models::FleetParams>() : nullptr;
}
} // namespace

Collector::Collector(const models::ScenarioSpec& scenario, double window_start, double window_end)
    : scenario_(&scenario), window_start_(window_start), window_end_(window_end),
      stations_(scenario.open_stations()) {
  for (std::size_t i = 0; i < stations_.size(); ++i) {
    stations_[i].buffered = scenario.stations[i].buffer.has_value();
  }
  if (const auto* fleet = fleet_of(scenario)) {
    classes_.resize(fleet->classes.size());
  }
}


void Collector::on_visit(const models::Visit& visit) {
  using models::Outcome;
  Tally& tally = stations_[visit.station];
  if (visit.outcome == Outcome::reneged || visit.outcome == Outcome::waiting_at_end) {
    tally.queue_area += overlap(visit.arrival, visit.start); // it waited, then left or stayed
  }
  if (visit.served()) {
    tally.busy_min += overlap(visit.start, visit.end);
    tally.queue_area += overlap(visit.arrival, visit.start);
    // Hydrogen counts when it leaves the station: fills that start in the window (as storage does).
    if (visit.start >= window_start_ && visit.start < window_end_) {
      tally.dispensed_kg += visit.kg;
      if (!classes_.empty()) {
        classes_[visit.vehicle_class].dispensed_kg += visit.kg;
      }
    }
  }
  if (visit.arrival < window_start_ || visit.arrival >= window_end_) {
    return;
  }
  ++tally.arrivals;
  const auto hour = static_cast<std::size_t>(std::fmod(std::floor(visit.arrival / 60.0), 24.0));
  ++tally.hourly_arrivals[hour];
  tally.queue_max = std::max(tally.queue_max, visit.waiting);
  ClassTally* vc = classes_.empty() ? nullptr : &classes_[visit.vehicle_class];
  switch (visit.outcome) {
  case Outcome::turned_away:
    ++tally.turned_away;
    return;
  case Outcome::closed:
    ++tally.diverted_closed;
    return;
  case Outcome::balked:
    ++tally.balked;
    return;
  case Outcome::waiting_at_end:
    ++tally.waiting_at_end;
    return;
  case Outcome::reneged:
    ++tally.reneged;
    tally.abandon_wait.add(visit.start - visit.arrival);
    if (vc != nullptr) {
      ++vc->reneged;
      vc->abandon_wait.add(visit.start - visit.arrival);
    }
    return;
  case Outcome::served:
    break;
  }
  ++tally.served;
  tally.hourly_wait[hour].add(visit.start - visit.arrival); // the station's wait: their merge
  tally.time_in_system_sum += visit.end - visit.arrival;
  if (vc != nullptr) {
    ++vc->refuels;
    vc->wait_min.add(visit.start - visit.arrival);
  }
}

void Collector::on_give_up(std::size_t vehicle_class, double at) {
  if (at >= window_start_ && at < window_end_) {
    ++classes_[vehicle_class].gave_up;
  }
}

void Collector::on_availability(std::size_t station, double closed_min, double outage_min) {
  stations_[station].closed_outage_min = std::make_pair(closed_min, outage_min);
}

void Collector::on_supply(std::size_t station, const models::SupplyReport& report) {
  stations_[station].supply = report;
}

void Collector::on_trip(const models::Trip& trip) {
  if (trip.arrival < window_start_ || trip.arrival >= window_end_) {
    return;
  }
  ClassTally& vc = classes_[trip.vehicle_class];
  vc.km += trip.km;
  vc.detour_km += trip.detour_km;
  vc.stranded += trip.stranded ? 1U : 0U;
}

namespace {
ordered_json wait_json(const QuantileSketch& sketch) {
  return {{"mean", sketch.mean()},         {"p50", sketch.quantile(0.50)},
          {"p90", sketch.quantile(0.90)},  {"p95", sketch.quantile(0.95)},
          {"p99", sketch.quantile(0.99)},  {"max", sketch.max()}};
}
} // namespace

ordered_json Collector::tally_json(const Tally& tally, double dispensers,
                                   const std::uint64_t* stranded) const {
  const double window = window_end_ - window_start_;
  const double served = static_cast<double>(tally.served);
  ordered_json json{{"arrivals", tally.arrivals},
                    {"served", tally.served},
                    {"balked", tally.balked},
                    {"reneged", tally.reneged}};
  if (stranded != nullptr) {
    json["stranded"] = *stranded;
    json["gave_up"] = gave_up();
  }
  if (tally.buffered) {
    json["waiting_at_end"] = tally.waiting_at_end;
  }
  QuantileSketch wait;
  for (const QuantileSketch& hour : tally.hourly_wait) {
    wait.merge(hour);
  }
  json["wait_min"] = wait_json(wait);
  json["abandon_wait_min"] = wait_json(tally.abandon_wait);
  json["time_in_system_min"] = {
      {"mean", served > 0 ? tally.time_in_system_sum / served : 0.0}};
  json["utilization"] = tally.busy_min / (dispensers * window);
  json["queue_mean"] = tally.queue_area / window;
  if (stranded == nullptr) {
    json["queue_max"] = tally.queue_max;
  }
  json["dispensed_kg"] = tally.dispensed_kg;
  ordered_json hourly{{"arrivals", ordered_json::array()},
                      {"wait_min_mean", ordered_json::array()},
                      {"wait_min_p95", ordered_json::array()}};
  for (std::size_t h = 0; h < 24; ++h) {
    hourly["arrivals"].push_back(tally.hourly_arrivals[h]);
    hourly["wait_min_mean"].push_back(tally.hourly_wait[h].mean());
    hourly["wait_min_p95"].push_back(tally.hourly_wait[h].quantile(0.95));
  }
  json["hourly"] = std::move(hourly);
  if (tally.closed_outage_min) {
    json["diverted_closed"] = tally.diverted_closed;
    json["closed_h"] = tally.closed_outage_min->first / 60.0;
    json["outage_h"] = tally.closed_outage_min->second / 60.0;
  }
  if (tally.supply) {
    const models::SupplyReport& supply = *tally.supply;
    json["delivered_kg"] = supply.delivered_kg;
    json["deliveries"] = supply.deliveries;
    json["turned_away_stockout"] = tally.turned_away;
    json["stockout_h"] = supply.stockout_min / 60.0;
    json["inventory_start_kg"] = supply.inventory_start_kg;
    json["inventory_end_kg"] = supply.inventory_end_kg;
    json["inventory_min_kg"] = supply.inventory_min_kg;
    json["energy_kwh"] = supply.energy_kwh;
  }
  return json;
}

std::uint64_t Collector::gave_up() const {
  std::uint64_t total = 0;
  for (const ClassTally& vc : classes_) {
    total += vc.gave_up;
  }
  return total;
}

ordered_json Collector::metrics() const {
  Tally total;
  double dispensers = 0;
  ordered_json stations = ordered_json::array();
  for (std::size_t i = 0; i < stations_.size(); ++i) {
    const Tally& tally = stations_[i];
    const models::StationSpec& spec = scenario_->stations[i];
    ordered_json station{{"id", spec.id}};
    station.update(tally_json(tally, spec.dispensers, nullptr));
    stations.push_back(std::move(station));
    total.arrivals += tally.arrivals;
    total.served += tally.served;
    total.balked += tally.balked;
    for (std::size_t h = 0; h < 24; ++h) {
      total.hourly_arrivals[h] += tally.hourly_arrivals[h];
      total.hourly_wait[h].merge(tally.hourly_wait[h]);
    }
    total.time_in_system_sum += tally.time_in_system_sum;
    total.dispensed_kg += tally.dispensed_kg;
    total.busy_min += tally.busy_min;
    total.queue_area += tally.queue_area;
    total.queue_max = std::max(total.queue_max, tally.queue_max);
    total.turned_away += tally.turned_away;
    total.reneged += tally.reneged;
    total.abandon_wait.merge(tally.abandon_wait);
    total.waiting_at_end += tally.waiting_at_end;
    total.buffered = total.buffered || tally.buffered;
    total.diverted_closed += tally.diverted_closed;
    if (tally.closed_outage_min) {
      auto& sum = total.closed_outage_min ? *total.closed_outage_min
                                          : total.closed_outage_min.emplace(0.0, 0.0);
      sum.first += tally.closed_outage_min->first;
      sum.second += tally.closed_outage_min->second;
    }
    if (tally.supply) {
      // Totals sum the stations with finite storage (inventory_min_kg: the sum of their minima).
      models::SupplyReport& sum = total.supply ? *total.supply : total.supply.emplace();
      sum.delivered_kg += tally.supply->delivered_kg;
      sum.deliveries += tally.supply->deliveries;
      sum.stockout_min += tally.supply->stockout_min;
      sum.inventory_start_kg += tally.supply->inventory_start_kg;
      sum.inventory_end_kg += tally.supply->inventory_end_kg;
      sum.inventory_min_kg += tally.supply->inventory_min_kg;
      sum.energy_kwh += tally.supply->energy_kwh;
    }
    dispensers += spec.dispensers;
  }
  if (total.supply) {
    // Stations without storage get hydrogen as they dispense it: counted as delivered in the
    // totals, so that the totals balance like each station does.
    for (const Tally& tally : stations_) {
      if (!tally.supply) {
        total.supply->delivered_kg += tally.dispensed_kg;
      }
    }
  }
  std::uint64_t stranded = 0;
  for (const ClassTally& vc : classes_) {
    stranded += vc.stranded;
  }
  ordered_json totals = tally_json(total, dispensers, &stranded);

  ordered_json result{{"totals", std::move(totals)}, {"stations", std::move(stations)}};
  if (!classes_.empty()) {
    const auto& fleet = *fleet_of(*scenario_);
    ordered_json classes = ordered_json::array();
    for (std::size_t c = 0; c < classes_.size(); ++c) {
      const ClassTally& vc = classes_[c];
      const models::VehicleClass& spec = fleet.classes[c];
      const double refuels = static_cast<double>(vc.refuels);
      const double days = (window_end_ - window_start_) / 1440.0;
      classes.push_back({{"name", spec.name},
                         {"vehicles", spec.count},
                         {"refuels", vc.refuels},
                         {"refuels_per_vehicle_day", refuels / spec.count / days},
                         {"detour_km", vc.detour_km},
                         {"detour_km_per_refuel", refuels > 0 ? vc.detour_km / refuels : 0.0},
                         {"stranded", vc.stranded},
                         {"reneged", vc.reneged},
                         {"gave_up", vc.gave_up},
                         {"km_driven", vc.km},
                         {"dispensed_kg", vc.dispensed_kg},
                         {"wait_min", wait_json(vc.wait_min)},
                         {"abandon_wait_min", wait_json(vc.abandon_wait)}});
    }
    result["classes"] = std::move(classes);
  }
  return result;
}

} // namespace h2sim::report
