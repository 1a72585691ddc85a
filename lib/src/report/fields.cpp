#include "fields.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>
#include <type_traits>

namespace h2sim::report {

namespace {

using S = StationTally;
using C = ClassTally;

QuantileSketch merged_hours(const S& s) {
  QuantileSketch wait;
  for (const QuantileSketch& hour : s.hourly_wait) {
    wait.merge(hour);
  }
  return wait;
}

std::array<double, hours> hourly_mean(const S& s, const Window&) {
  std::array<double, hours> mean{};
  for (std::size_t h = 0; h < hours; ++h) {
    mean[h] = s.hourly_wait[h].mean();
  }
  return mean;
}

std::array<double, hours> hourly_p95(const S& s, const Window&) {
  std::array<double, hours> p95{};
  for (std::size_t h = 0; h < hours; ++h) {
    p95[h] = s.hourly_wait[h].quantile(0.95);
  }
  return p95;
}

double window_min(const Window& w) { return w.end - w.start; }

std::array<double, hours> hourly_utilization(const S& s, const Window& w) {
  std::array<double, hours> utilization{};
  for (std::size_t h = 0; h < hours; ++h) {
    const double available = s.dispensers * w.hour_minutes(h);
    utilization[h] = available > 0 ? s.hourly_busy_min[h] / available : 0.0;
  }
  return utilization;
}

std::array<double, hours> hourly_queue_mean(const S& s, const Window& w) {
  std::array<double, hours> queue{};
  for (std::size_t h = 0; h < hours; ++h) {
    const double minutes = w.hour_minutes(h);
    queue[h] = minutes > 0 ? s.hourly_queue_area[h] / minutes : 0.0;
  }
  return queue;
}

/** Per year from the window's total: x 365 / days of the window. */
double per_year(double window_total, const Window& w) {
  return window_total * 365.0 / (window_min(w) / 1440.0);
}

double total_cost_per_year(const S& s, const Window& w) {
  return s.annualized_capex + s.fixed_om_per_year +
         per_year(s.hydrogen_cost + s.electricity_cost + s.delivery_cost + s.waiting_cost, w);
}

/** Per kg dispensed in the window: 0 when nothing was. */
double per_kg(double per_year_cost, const S& s, const Window& w) {
  const double kg = per_year(s.dispensed_kg, w);
  return kg > 0 ? per_year_cost / kg : 0.0;
}

/** A ratio whose denominator may be zero (an empty bin): then 0. */
double share(double part, double whole) { return whole > 0 ? part / whole : 0.0; }

const SeriesBin& bin(const S& s, std::size_t k) {
  static const SeriesBin empty;
  return k < s.series.size() ? s.series[k] : empty;
}

} // namespace

double Window::hour_minutes(std::size_t h) const {
  // Minutes of [0, t) whose hour of day is h: 60 a day, plus the part of hour h on t's day.
  const auto before = [h](double t) {
    const double days = std::floor(t / 1440.0);
    const double into_day = t - days * 1440.0;
    return days * 60.0 + std::clamp(into_day - 60.0 * static_cast<double>(h), 0.0, 60.0);
  };
  return std::max(0.0, before(end) - before(start));
}

std::size_t bins_of(double horizon_days, double bin_days) {
  if (!(bin_days > 0) || !(horizon_days > 0)) {
    return 0;
  }
  // A bin cut by less than a millionth of its width by rounding is not a bin of its own.
  return std::max<std::size_t>(1,
                               static_cast<std::size_t>(std::ceil(horizon_days / bin_days - 1e-6)));
}

const std::vector<Field<StationTally>>& station_fields() {
  static const std::vector<Field<S>> fields{
      {.key = "arrivals",
       .kind = Kind::count,
       .source = &S::arrivals,
       .description = "visits that arrived in the window"},
      {.key = "served",
       .kind = Kind::count,
       .source = &S::served,
       .description = "visits admitted to a dispenser (the fill may end after the horizon)"},
      {.key = "balked",
       .kind = Kind::count,
       .source = &S::balked,
       .description = "visits that did not join the queue (full, or longer than the driver takes)"},
      {.key = "reneged",
       .kind = Kind::count,
       .source = &S::reneged,
       .description = "drivers who left the queue without a fill"},
      {.key = "stranded",
       .kind = Kind::count,
       .source = &S::stranded,
       .description = "fleet vehicles whose tank ran dry before a fill, counted when towed to a "
                      "station in the window (as a trip is, at its end), or when it finds none "
                      "it can use",
       .scope = Scope::totals,
       .from_classes = &C::stranded},
      {.key = "gave_up",
       .kind = Kind::count,
       .source = &S::gave_up,
       .description = "rounds of tries by fleet drivers that ended without a fill",
       .scope = Scope::totals,
       .from_classes = &C::gave_up},
      {.key = "waiting_at_end",
       .kind = Kind::count,
       .source = &S::waiting_at_end,
       .description = "vehicles that arrived in the window and still waited when the run ended",
       .group = group::buffered},
      {.key = "wait_min",
       .kind = Kind::waits,
       .source = &merged_hours,
       .description = "minutes from arrival to the start of the fill, of the served"},
      {.key = "abandon_wait_min",
       .kind = Kind::waits,
       .source = &S::abandon_wait,
       .description = "minutes waited by the drivers who reneged"},
      {.key = "time_in_system_min.mean",
       .kind = Kind::derived,
       .source =
           +[](const S& s, const Window&) {
             const auto served = static_cast<double>(s.served);
             return served > 0 ? s.time_in_system_sum_min / served : 0.0;
           },
       .description = "mean minutes from arrival to the end of the fill, of the served"},
      {.key = "utilization",
       .kind = Kind::derived,
       .source =
           +[](const S& s, const Window& w) { return s.busy_min / (s.dispensers * window_min(w)); },
       .description = "busy dispenser time / (dispensers x window)"},
      {.key = "queue_mean",
       .kind = Kind::derived,
       .source = +[](const S& s, const Window& w) { return s.queue_area / window_min(w); },
       .description = "time-average number of vehicles waiting (summed over stations in totals)"},
      {.key = "queue_max",
       .kind = Kind::maximum,
       .source = &S::queue_max,
       .description = "most vehicles waiting just after an arrival",
       .scope = Scope::stations},
      {.key = "dispensed_kg",
       .kind = Kind::quantity,
       .source = &S::dispensed_kg,
       .description = "hydrogen of the fills that started in the window"},
      {.key = "hourly.arrivals",
       .kind = Kind::hourly_counts,
       .source = &S::hourly_arrivals,
       .description = "arrivals by hour of day (0 = midnight)"},
      {.key = "hourly.wait_min_mean",
       .kind = Kind::hourly_derived,
       .source = &hourly_mean,
       .description = "mean wait of the served by hour of day of arrival"},
      {.key = "hourly.wait_min_p95",
       .kind = Kind::hourly_derived,
       .source = &hourly_p95,
       .description = "95th-percentile wait of the served by hour of day of arrival"},
      {.key = "hourly.utilization",
       .kind = Kind::hourly_derived,
       .source = &hourly_utilization,
       .description = "busy dispenser time in the hour of day / (dispensers x the window's time "
                      "in that hour); weighted by that time, the hours average to utilization"},
      {.key = "hourly.queue_mean",
       .kind = Kind::hourly_derived,
       .source = &hourly_queue_mean,
       .description = "time-average number of vehicles waiting in the hour of day (summed over "
                      "stations in totals); weighted by the hours' time, they average to "
                      "queue_mean"},
      {.key = "diverted_closed",
       .kind = Kind::count,
       .source = &S::diverted_closed,
       .description = "visits that found the station closed (its availability, or out of "
                      "service by a scheduled open_stations)",
       .group = group::closures},
      {.key = "closed_h",
       .kind = Kind::derived,
       .source = +[](const S& s, const Window&) { return s.closed_min / 60.0; },
       .description = "hours of the window the station was closed by its `availability` (opening "
                      "hours, breakdowns, maintenance); time out of service by `open_stations` "
                      "events is not counted here (its visits are `diverted_closed`)",
       .group = group::availability},
      {.key = "outage_h",
       .kind = Kind::derived,
       .source = +[](const S& s, const Window&) { return s.outage_min / 60.0; },
       .description = "hours of the window lost to breakdowns and maintenance",
       .group = group::availability},
      {.key = "delivered_kg",
       .kind = Kind::quantity,
       .source = &S::delivered_kg,
       .description = "hydrogen that reached storage (in totals, stations without storage count "
                      "what they dispensed)",
       .group = group::supply,
       .absent_adds = &S::dispensed_kg},
      {.key = "deliveries",
       .kind = Kind::count,
       .source = &S::deliveries,
       .description = "trailer deliveries: trailers that arrived, one that found the storage "
                      "full and took its load back included (its trip costs as any)",
       .group = group::supply},
      {.key = "turned_away_stockout",
       .kind = Kind::count,
       .source = &S::turned_away_stockout,
       .description = "visits whose fill the station could not promise",
       .group = group::supply},
      {.key = "stockout_h",
       .kind = Kind::derived,
       .source = +[](const S& s, const Window&) { return s.stockout_min / 60.0; },
       .description = "hours the station was dry",
       .group = group::supply},
      {.key = "inventory_start_kg",
       .kind = Kind::quantity,
       .source = &S::inventory_start_kg,
       .description = "hydrogen in storage at the start of the window",
       .group = group::supply},
      {.key = "inventory_end_kg",
       .kind = Kind::quantity,
       .source = &S::inventory_end_kg,
       .description = "hydrogen in storage at the end of the window",
       .group = group::supply},
      {.key = "inventory_min_kg",
       .kind = Kind::minimum,
       .source = &S::inventory_min_kg,
       .description = "least hydrogen in storage (in totals, the sum of the stations' minima)",
       .group = group::supply},
      {.key = "energy_kwh",
       .kind = Kind::quantity,
       .source = &S::energy_kwh,
       .description = "electricity of on-site production",
       .group = group::supply},
      {.key = "economics.capex",
       .kind = Kind::quantity,
       .source = &S::capex,
       .description = "capital of the station as built, $ (docs/economics.md)",
       .group = group::economics},
      {.key = "economics.annualized_capex",
       .kind = Kind::quantity,
       .source = &S::annualized_capex,
       .description = "capex x CRF, CRF = r(1+r)^n / ((1+r)^n - 1), $/year",
       .group = group::economics},
      {.key = "economics.fixed_om_per_year",
       .kind = Kind::quantity,
       .source = &S::fixed_om_per_year,
       .description = "fixed_om_fraction x capex, $/year",
       .group = group::economics},
      {.key = "economics.hydrogen_cost_per_year",
       .kind = Kind::derived,
       .source = +[](const S& s, const Window& w) { return per_year(s.hydrogen_cost, w); },
       .description = "dispensed_kg x the supply model's hydrogen_cost_per_kg x 365 / days of "
                      "the window, $/year",
       .group = group::economics,
       .interval = true},
      {.key = "economics.electricity_cost_per_year",
       .kind = Kind::derived,
       .source = +[](const S& s, const Window& w) { return per_year(s.electricity_cost, w); },
       .description = "energy_kwh x electricity_cost_per_kwh x 365 / days, $/year",
       .group = group::economics,
       .interval = true},
      {.key = "economics.delivery_cost_per_year",
       .kind = Kind::derived,
       .source = +[](const S& s, const Window& w) { return per_year(s.delivery_cost, w); },
       .description = "deliveries x delivery_cost_per_trip x 365 / days, $/year",
       .group = group::economics,
       .interval = true},
      {.key = "economics.waiting_cost_per_year",
       .kind = Kind::derived,
       .source = +[](const S& s, const Window& w) { return per_year(s.waiting_cost, w); },
       .description = "hours waited by drivers (served and reneged) x waiting_cost_per_hour x "
                      "365 / days, $/year",
       .group = group::economics,
       .interval = true},
      {.key = "economics.total_cost_per_year",
       .kind = Kind::derived,
       .source = &total_cost_per_year,
       .description = "the sum of the five above and annualized_capex + fixed_om_per_year, "
                      "$/year",
       .group = group::economics,
       .interval = true},
      {.key = "economics.cost_per_kg",
       .kind = Kind::derived,
       .source =
           +[](const S& s, const Window& w) {
             return per_kg(total_cost_per_year(s, w) - per_year(s.waiting_cost, w), s, w);
           },
       .description = "(total_cost_per_year - waiting_cost_per_year) / kg dispensed per year: "
                      "the operator's levelised cost, $/kg (0 when nothing was dispensed)",
       .group = group::economics,
       .interval = true},
      {.key = "economics.social_cost_per_kg",
       .kind = Kind::derived,
       .source =
           +[](const S& s, const Window& w) { return per_kg(total_cost_per_year(s, w), s, w); },
       .description = "total_cost_per_year / kg dispensed per year: the drivers' time priced in, "
                      "$/kg (0 when nothing was dispensed)",
       .group = group::economics,
       .interval = true},
      {.key = "series.daily.day",
       .kind = Kind::series_axis,
       .source = +[](const S&, std::size_t k, const Window& w) { return w.bin_start(k) / 1440.0; },
       .description = "the bin's first day, counted from the start of the run (warm-up "
                      "included, as scenario `events` count)"},
      {.key = "series.daily.arrivals",
       .kind = Kind::series_counts,
       .source = &SeriesBin::arrivals,
       .description = "visits that arrived in the bin"},
      {.key = "series.daily.served",
       .kind = Kind::series_counts,
       .source = &SeriesBin::served,
       .description = "visits that arrived in the bin and were admitted to a dispenser"},
      {.key = "series.daily.balked",
       .kind = Kind::series_counts,
       .source = &SeriesBin::balked,
       .description = "visits that arrived in the bin and balked"},
      {.key = "series.daily.reneged",
       .kind = Kind::series_counts,
       .source = &SeriesBin::reneged,
       .description = "visits that arrived in the bin and reneged"},
      {.key = "series.daily.diverted_closed",
       .kind = Kind::series_counts,
       .source = &SeriesBin::diverted_closed,
       .description = "visits that arrived in the bin and found the station closed",
       .group = group::closures},
      {.key = "series.daily.turned_away_stockout",
       .kind = Kind::series_counts,
       .source = &SeriesBin::turned_away_stockout,
       .description = "visits that arrived in the bin and whose fill the station could not promise",
       .group = group::supply},
      {.key = "series.daily.dispensed_kg",
       .kind = Kind::series_quantities,
       .source = &SeriesBin::dispensed_kg,
       .description = "hydrogen of the fills that started in the bin"},
      {.key = "series.daily.wait_min_mean",
       .kind = Kind::series_derived,
       .source =
           +[](const S& s, std::size_t k, const Window&) {
             return share(bin(s, k).wait_sum_min, static_cast<double>(bin(s, k).served));
           },
       .description = "mean wait of those served of the bin's arrivals (0: none served)"},
      {.key = "series.daily.waited_over_5_min_share",
       .kind = Kind::series_derived,
       .source =
           +[](const S& s, std::size_t k, const Window&) {
             return share(static_cast<double>(bin(s, k).waited_over_5_min),
                          static_cast<double>(bin(s, k).served));
           },
       .description = "share of those served of the bin's arrivals who waited more than 5 "
                      "minutes (their p95 wait is over 5 minutes exactly when this is over 0.05)"},
      {.key = "series.daily.wait_min_p95",
       .kind = Kind::series_derived,
       .source =
           +[](const S& s, std::size_t k, const Window&) {
             return k < s.series_wait.size() ? s.series_wait[k].quantile(0.95) : 0.0;
           },
       .description = "95th-percentile wait of those served of the bin's arrivals, from the "
                      "network's sketch per bin",
       .scope = Scope::totals},
      {.key = "series.daily.queue_mean",
       .kind = Kind::series_derived,
       .source = +[](const S& s, std::size_t k,
                     const Window& w) { return share(bin(s, k).queue_area, w.bin_length(k)); },
       .description = "time-average number of vehicles waiting in the bin (summed over stations "
                      "in totals)"},
      {.key = "series.daily.utilization",
       .kind = Kind::series_derived,
       .source =
           +[](const S& s, std::size_t k, const Window& w) {
             return share(bin(s, k).busy_min, s.dispensers * w.bin_length(k));
           },
       .description = "busy dispenser time in the bin / (dispensers x the bin's length)"},
      {.key = "series.daily.delivered_kg",
       .kind = Kind::series_quantities,
       .source = &SeriesBin::delivered_kg,
       .description = "hydrogen that reached storage in the bin (in totals, stations without "
                      "storage count what they dispensed)",
       .group = group::supply,
       .absent_bin_adds = &SeriesBin::dispensed_kg},
      {.key = "series.daily.deliveries",
       .kind = Kind::series_counts,
       .source = &SeriesBin::deliveries,
       .description = "trailer deliveries in the bin",
       .group = group::supply},
      {.key = "series.daily.stockout_min",
       .kind = Kind::series_quantities,
       .source = &SeriesBin::stockout_min,
       .description = "minutes of the bin the station was dry",
       .group = group::supply},
      {.key = "series.daily.inventory_end_kg",
       .kind = Kind::series_quantities,
       .source = &SeriesBin::inventory_end_kg,
       .description = "hydrogen in storage at the bin's end",
       .group = group::supply},
      // Inputs of the derived fields above: tallied and totalled, not reported.
      {.key = "dispensers",
       .kind = Kind::quantity,
       .source = &S::dispensers,
       .description = "dispensers of the station",
       .reported = false},
      {.key = "time_in_system_sum_min",
       .kind = Kind::quantity,
       .source = &S::time_in_system_sum_min,
       .description = "minutes from arrival to the end of the fill, summed over the served",
       .reported = false},
      {.key = "busy_min",
       .kind = Kind::quantity,
       .source = &S::busy_min,
       .description = "dispenser-minutes busy inside the window",
       .reported = false},
      {.key = "queue_area",
       .kind = Kind::quantity,
       .source = &S::queue_area,
       .description = "vehicle-minutes waiting inside the window",
       .reported = false},
      {.key = "hourly_wait",
       .kind = Kind::hourly_waits,
       .source = &S::hourly_wait,
       .description = "waits of the served by hour of day of arrival",
       .reported = false},
      {.key = "hourly_busy_min",
       .kind = Kind::hourly_quantities,
       .source = &S::hourly_busy_min,
       .description = "dispenser-minutes busy inside the window, by the hour of day they fell in",
       .reported = false},
      {.key = "hourly_queue_area",
       .kind = Kind::hourly_quantities,
       .source = &S::hourly_queue_area,
       .description = "vehicle-minutes waiting inside the window, by the hour of day they fell in",
       .reported = false},
      {.key = "closed_min",
       .kind = Kind::quantity,
       .source = &S::closed_min,
       .description = "minutes of the window the station was closed",
       .group = group::availability,
       .reported = false},
      {.key = "outage_min",
       .kind = Kind::quantity,
       .source = &S::outage_min,
       .description = "minutes of the window lost to breakdowns and maintenance",
       .group = group::availability,
       .reported = false},
      {.key = "hydrogen_cost",
       .kind = Kind::quantity,
       .source = &S::hydrogen_cost,
       .description = "the window's hydrogen, $",
       .group = group::economics,
       .reported = false},
      {.key = "electricity_cost",
       .kind = Kind::quantity,
       .source = &S::electricity_cost,
       .description = "the window's electricity, $",
       .group = group::economics,
       .reported = false},
      {.key = "delivery_cost",
       .kind = Kind::quantity,
       .source = &S::delivery_cost,
       .description = "the window's deliveries, $",
       .group = group::economics,
       .reported = false},
      {.key = "waiting_cost",
       .kind = Kind::quantity,
       .source = &S::waiting_cost,
       .description = "the window's waiting, $",
       .group = group::economics,
       .reported = false},
      {.key = "stockout_min",
       .kind = Kind::quantity,
       .source = &S::stockout_min,
       .description = "minutes the station was dry",
       .group = group::supply,
       .reported = false},
      {.key = "series.daily.wait_sum_min",
       .kind = Kind::series_quantities,
       .source = &SeriesBin::wait_sum_min,
       .description = "minutes waited by those served of the bin's arrivals, summed",
       .reported = false},
      {.key = "series.daily.waited_over_5_min",
       .kind = Kind::series_counts,
       .source = &SeriesBin::waited_over_5_min,
       .description = "those served of the bin's arrivals who waited more than 5 minutes",
       .reported = false},
      {.key = "series.daily.busy_min",
       .kind = Kind::series_quantities,
       .source = &SeriesBin::busy_min,
       .description = "dispenser-minutes busy inside the bin",
       .reported = false},
      {.key = "series.daily.queue_area",
       .kind = Kind::series_quantities,
       .source = &SeriesBin::queue_area,
       .description = "vehicle-minutes waiting inside the bin",
       .reported = false},
      {.key = "series.daily.wait",
       .kind = Kind::series_waits,
       .source = &S::series_wait,
       .description = "waits of those served of the bin's arrivals, over the network",
       .scope = Scope::totals,
       .reported = false,
       .from_network = true},
  };
  return fields;
}

const std::vector<Field<ClassTally>>& class_fields() {
  static const std::vector<Field<C>> fields{
      {.key = "vehicles",
       .kind = Kind::count,
       .source = &C::vehicles,
       .description = "vehicles in the class (with scheduled changes of its count, their time "
                      "average over the window, rounded)"},
      {.key = "refuels",
       .kind = Kind::count,
       .source = &C::refuels,
       .description = "fills of the class's vehicles"},
      {.key = "refuels_per_vehicle_day",
       .kind = Kind::derived,
       .source =
           +[](const C& c, const Window& w) {
             return static_cast<double>(c.refuels) / c.mean_vehicles / (window_min(w) / 1440.0);
           },
       .description = "refuels / vehicles (time-averaged) / days of the window"},
      {.key = "detour_km",
       .kind = Kind::quantity,
       .source = &C::detour_km,
       .description = "km driven from where drivers decided to refuel to the stations"},
      {.key = "detour_km_per_refuel",
       .kind = Kind::derived,
       .source =
           +[](const C& c, const Window&) {
             const auto refuels = static_cast<double>(c.refuels);
             return refuels > 0 ? c.detour_km / refuels : 0.0;
           },
       .description = "detour_km / refuels"},
      {.key = "stranded",
       .kind = Kind::count,
       .source = &C::stranded,
       .description = "vehicles whose tank ran dry before a fill, counted when towed to a "
                      "station in the window (as a trip is, at its end), or when it finds none "
                      "it can use"},
      {.key = "reneged",
       .kind = Kind::count,
       .source = &C::reneged,
       .description = "drivers who left a queue without a fill"},
      {.key = "gave_up",
       .kind = Kind::count,
       .source = &C::gave_up,
       .description = "rounds of tries that ended without a fill"},
      {.key = "km_driven",
       .kind = Kind::quantity,
       .source = &C::km_driven,
       .description = "km driven by the class's vehicles on the trips that ended in the window (at "
                      "a station, or where no station could be used)"},
      {.key = "dispensed_kg",
       .kind = Kind::quantity,
       .source = &C::dispensed_kg,
       .description = "hydrogen of the class's fills that started in the window"},
      {.key = "wait_min",
       .kind = Kind::waits,
       .source = &C::wait,
       .description = "minutes from arrival to the start of the fill"},
      {.key = "abandon_wait_min",
       .kind = Kind::waits,
       .source = &C::abandon_wait,
       .description = "minutes waited by the drivers who reneged"},
  };
  return fields;
}

namespace {

/** Adds `from` into `into` as `field`'s kind says; derived fields are formed later, not folded. */
template <class R> void fold(const Field<R>& field, R& into, const R& from) {
  std::visit(
      [&]<class Source>(Source source) {
        if constexpr (std::is_same_v<Source, std::uint64_t SeriesBin::*> ||
                      std::is_same_v<Source, double SeriesBin::*>) {
          if constexpr (std::is_same_v<R, StationTally>) {
            if (into.series.size() < from.series.size()) {
              into.series.resize(from.series.size());
            }
            for (std::size_t k = 0; k < from.series.size(); ++k) {
              into.series[k].*source += from.series[k].*source;
            }
          }
        } else if constexpr (std::is_member_object_pointer_v<Source>) {
          auto& total = into.*source;
          const auto& part = from.*source;
          using Value = std::remove_cvref_t<decltype(total)>;
          if constexpr (std::is_same_v<Value, QuantileSketch>) {
            total.merge(part);
          } else if constexpr (std::is_same_v<Value, std::array<QuantileSketch, hours>>) {
            for (std::size_t h = 0; h < hours; ++h) {
              total[h].merge(part[h]);
            }
          } else if constexpr (std::is_same_v<Value, std::vector<QuantileSketch>>) {
            if (total.size() < part.size()) {
              total.resize(part.size());
            }
            for (std::size_t k = 0; k < part.size(); ++k) {
              total[k].merge(part[k]);
            }
          } else if constexpr (std::is_same_v<Value, std::array<std::uint64_t, hours>> ||
                               std::is_same_v<Value, std::array<double, hours>>) {
            for (std::size_t h = 0; h < hours; ++h) {
              total[h] += part[h];
            }
          } else if (field.kind == Kind::maximum) {
            total = std::max(total, part);
          } else {
            total += part; // counts, quantities, and minima: separate stocks add up
          }
        }
      },
      field.source);
}

void add_waits(const QuantileSketch& sketch, std::vector<double>& leaves) {
  leaves.push_back(sketch.mean());
  for (const double q : {0.50, 0.90, 0.95, 0.99}) {
    leaves.push_back(sketch.quantile(q));
  }
  leaves.push_back(sketch.max());
}

template <class R>
RecordValues record_values(const std::vector<Field<R>>& fields, const R& record,
                           std::uint8_t groups, Scope scope, const Window& window) {
  RecordValues values{groups, static_cast<std::uint32_t>(window.bins), {}};
  for_each_reported(fields, groups, scope, window.bins > 0, [&](const Field<R>& field) {
    std::visit(
        [&]<class Source>(Source source) {
          if constexpr (std::is_same_v<Source, std::uint64_t SeriesBin::*> ||
                        std::is_same_v<Source, double SeriesBin::*>) {
            if constexpr (std::is_same_v<R, StationTally>) {
              for (std::size_t k = 0; k < window.bins; ++k) {
                values.leaves.push_back(
                    k < record.series.size() ? static_cast<double>(record.series[k].*source) : 0.0);
              }
            }
          } else if constexpr (std::is_same_v<Source,
                                              double (*)(const R&, std::size_t, const Window&)>) {
            for (std::size_t k = 0; k < window.bins; ++k) {
              values.leaves.push_back(source(record, k, window));
            }
          } else if constexpr (std::is_member_object_pointer_v<Source>) {
            const auto& value = record.*source;
            using Value = std::remove_cvref_t<decltype(value)>;
            if constexpr (std::is_same_v<Value, QuantileSketch>) {
              add_waits(value, values.leaves);
            } else if constexpr (std::is_same_v<Value, std::array<std::uint64_t, hours>>) {
              for (const std::uint64_t hour : value) {
                values.leaves.push_back(static_cast<double>(hour));
              }
            } else if constexpr (std::is_arithmetic_v<Value>) {
              values.leaves.push_back(static_cast<double>(value));
            } else {
              throw std::logic_error("metric field " + std::string(field.key) +
                                     ": an array of sketches is not reported");
            }
          } else if constexpr (std::is_same_v<Source, double (*)(const R&, const Window&)>) {
            values.leaves.push_back(source(record, window));
          } else if constexpr (std::is_same_v<Source, QuantileSketch (*)(const R&)>) {
            add_waits(source(record), values.leaves);
          } else {
            for (const double hour : source(record, window)) {
              values.leaves.push_back(hour);
            }
          }
        },
        field.source);
  });
  return values;
}

/** Whether `field`'s source is what its kind reads, and its totals rules fit its kind. */
template <class R> bool consistent(const Field<R>& field) {
  const auto& source = field.source;
  bool fits = false;
  switch (field.kind) {
  case Kind::count:
  case Kind::maximum:
    fits = std::holds_alternative<std::uint64_t R::*>(source);
    break;
  case Kind::quantity:
  case Kind::minimum:
    fits = std::holds_alternative<double R::*>(source);
    break;
  case Kind::waits:
    fits = std::holds_alternative<QuantileSketch R::*>(source) ||
           std::holds_alternative<QuantileSketch (*)(const R&)>(source);
    break;
  case Kind::hourly_counts:
    fits = std::holds_alternative<std::array<std::uint64_t, hours> R::*>(source);
    break;
  case Kind::hourly_waits:
    fits =
        std::holds_alternative<std::array<QuantileSketch, hours> R::*>(source) && !field.reported;
    break;
  case Kind::derived:
    fits = std::holds_alternative<double (*)(const R&, const Window&)>(source);
    break;
  case Kind::hourly_derived:
    fits = std::holds_alternative<std::array<double, hours> (*)(const R&, const Window&)>(source);
    break;
  case Kind::hourly_quantities:
    fits = std::holds_alternative<std::array<double, hours> R::*>(source) && !field.reported;
    break;
  case Kind::series_counts:
    fits = std::holds_alternative<std::uint64_t SeriesBin::*>(source);
    break;
  case Kind::series_quantities:
    fits = std::holds_alternative<double SeriesBin::*>(source);
    break;
  case Kind::series_derived:
  case Kind::series_axis:
    fits = std::holds_alternative<double (*)(const R&, std::size_t, const Window&)>(source);
    break;
  case Kind::series_waits:
    fits = std::holds_alternative<std::vector<QuantileSketch> R::*>(source) && !field.reported;
    break;
  }
  return fits && (!field.interval || field.kind == Kind::quantity || field.kind == Kind::derived) &&
         (field.absent_adds == nullptr || (field.kind == Kind::quantity && field.group != 0)) &&
         (field.absent_bin_adds == nullptr ||
          (field.kind == Kind::series_quantities && field.group != 0)) &&
         (field.from_classes == nullptr ||
          (field.kind == Kind::count && field.scope == Scope::totals)) &&
         (!field.from_network ||
          (field.kind == Kind::series_waits && field.scope == Scope::totals));
}

template <class R>
std::vector<Leaf> layout_of(const std::vector<Field<R>>& fields, std::uint8_t groups, Scope scope,
                            std::uint32_t bins) {
  for (const Field<R>& field : fields) {
    if (!consistent(field)) {
      throw std::logic_error("metric field " + std::string(field.key) +
                             ": its source or totals rule does not fit its kind");
    }
  }
  std::vector<Leaf> leaves;
  for_each_reported(fields, groups, scope, bins > 0, [&](const Field<R>& field) {
    const std::string key(field.key);
    switch (field.kind) {
    case Kind::count:
      leaves.push_back({key, Combine::mean, true, true});
      break;
    case Kind::maximum:
      leaves.push_back({key, Combine::max, true, true});
      break;
    case Kind::minimum:
      leaves.push_back({key, Combine::min, false, true});
      break;
    case Kind::quantity:
    case Kind::derived:
      leaves.push_back({key, Combine::mean, false, true});
      break;
    case Kind::waits:
      for (const std::string_view statistic : wait_statistics) {
        leaves.push_back({key + "." + std::string(statistic),
                          statistic == "max" ? Combine::max : Combine::mean, false, true});
      }
      break;
    case Kind::hourly_counts:
    case Kind::hourly_derived:
      for (std::size_t h = 0; h < hours; ++h) {
        leaves.push_back({key + "." + std::to_string(h), Combine::mean,
                          field.kind == Kind::hourly_counts, false});
      }
      break;
    case Kind::series_counts:
    case Kind::series_quantities:
    case Kind::series_derived:
    case Kind::series_axis:
      for (std::uint32_t k = 0; k < bins; ++k) {
        leaves.push_back({key + "." + std::to_string(k),
                          field.kind == Kind::series_axis ? Combine::min : Combine::mean,
                          field.kind == Kind::series_counts, false});
      }
      break;
    case Kind::hourly_waits:
    case Kind::hourly_quantities:
    case Kind::series_waits:
      throw std::logic_error("metric field " + key + ": an array of sketches is not reported");
    }
  });
  return leaves;
}

} // namespace

StationTally totals_of(const std::vector<StationTally>& stations,
                       const std::vector<ClassTally>& classes, const StationTally& network) {
  StationTally total;
  for (const StationTally& station : stations) {
    total.groups |= station.groups;
    for (const Field<S>& field : station_fields()) {
      if (!field.from_network) {
        fold(field, total, station);
      }
    }
  }
  for (const Field<S>& field : station_fields()) {
    if (field.from_network) {
      fold(field, total, network);
    }
  }
  // Fields the absent group would have carried: a second pass, after the stations that have it.
  for (const Field<S>& field : station_fields()) {
    if (field.absent_adds != nullptr && (total.groups & field.group) != 0) {
      auto& sum = total.*std::get<double S::*>(field.source);
      for (const StationTally& station : stations) {
        if ((station.groups & field.group) == 0) {
          sum += station.*field.absent_adds;
        }
      }
    }
    if (field.absent_bin_adds != nullptr && (total.groups & field.group) != 0) {
      const auto bin_member = std::get<double SeriesBin::*>(field.source);
      for (const StationTally& station : stations) {
        if ((station.groups & field.group) == 0) {
          for (std::size_t k = 0; k < station.series.size() && k < total.series.size(); ++k) {
            total.series[k].*bin_member += station.series[k].*field.absent_bin_adds;
          }
        }
      }
    }
  }
  for (const Field<S>& field : station_fields()) {
    if (field.from_classes != nullptr) {
      auto& sum = total.*std::get<std::uint64_t S::*>(field.source);
      for (const ClassTally& vehicle_class : classes) {
        sum += vehicle_class.*field.from_classes;
      }
    }
  }
  return total;
}

StationTally totals_of(const std::vector<StationTally>& stations,
                       const std::vector<ClassTally>& classes) {
  return totals_of(stations, classes, StationTally());
}

ReplicationValues values_of(const ReplicationTallies& tallies) {
  ReplicationValues values;
  const StationTally total = totals_of(tallies.stations, tallies.classes, tallies.network);
  values.totals =
      record_values(station_fields(), total, total.groups, Scope::totals, tallies.window);
  values.waits = merged_hours(total);
  values.waits->collapse_lowest(ReplicationValues::max_carried_buckets);
  for (const StationTally& station : tallies.stations) {
    values.stations.push_back(
        record_values(station_fields(), station, station.groups, Scope::stations, tallies.window));
  }
  for (const ClassTally& vehicle_class : tallies.classes) {
    values.classes.push_back(record_values(class_fields(), vehicle_class, 0, Scope::both,
                                           Window{tallies.window.start, tallies.window.end}));
  }
  return values;
}

const std::vector<Leaf>& station_layout(std::uint8_t groups, Scope scope, std::uint32_t bins) {
  // Built once per combination of groups, scope and bins, when first asked for: records look
  // theirs up per replication. (Building every combination up front cost a replication's child
  // process some 2 ms for layouts it never used.) A map's nodes stay where they are, so
  // references stay valid.
  static std::mutex mutex;
  static std::map<std::tuple<std::uint32_t, std::uint8_t, bool>, std::vector<Leaf>> built;
  if (groups > group::all || scope == Scope::both) {
    throw std::logic_error("no station layout for these groups or scope");
  }
  const std::lock_guard lock(mutex);
  const auto key = std::make_tuple(bins, groups, scope == Scope::totals);
  auto found = built.find(key);
  if (found == built.end()) {
    found = built.emplace(key, layout_of(station_fields(), groups, scope, bins)).first;
  }
  return found->second;
}

std::size_t station_layout_size(std::uint8_t groups, Scope scope, std::uint32_t bins) {
  if (bins <= 2) {
    return station_layout(groups, scope, bins).size();
  }
  // Each series field has one number per bin (tested against the layouts).
  const std::size_t one = station_layout(groups, scope, 1).size();
  return one + (bins - 1) * (station_layout(groups, scope, 2).size() - one);
}

const std::vector<Leaf>& class_layout() {
  static const std::vector<Leaf> layout = layout_of(class_fields(), 0, Scope::both, 0);
  return layout;
}

} // namespace h2sim::report
