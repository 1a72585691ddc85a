// Economics (docs/economics.md): every figure recomputed by hand from the scenario's prices and the
// run's own counts, for one station of each supply model and for three stations sharing a depot.
#include "../support.hpp"
#include "models/economics.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using h2sim::test::problems_of;
using h2sim::test::run_text;
using nlohmann::ordered_json;

namespace {

/** What a station's figures are computed from besides the run's counts. */
struct Priced {
  double capex = 0;
  double lifetime = 20;
  double om = 0.04;
  double h2_per_kg = 0;
};

constexpr double rate = 0.08;
constexpr double electricity = 0.12;
constexpr double per_trip = 300;
constexpr double per_hour = 25;

const std::string economics_block = R"(, "economics": {"discount_rate": 0.08,
  "station": {"base_capex": 1200000, "per_dispenser_capex": 150000, "storage_capex_per_kg": 1800,
              "buffer_capex_per_kg": 1000, "compressor_capex_per_kg_per_h": 20000,
              "electrolyser_capex_per_kw": 1500, "pipeline_capex_per_km": 900000,
              "pipeline_km": 2.5, "lifetime_years": 20, "fixed_om_fraction": 0.04},
  "depot": {"base_capex": 500000, "per_trailer_capex": 400000},
  "hydrogen_cost_per_kg": {"delivery": 7.0, "pipeline": 4.0, "onsite": 0.0, "none": 3.0,
                           "unlimited": 6.0, "scheduled": 6.5},
  "electricity_cost_per_kwh": 0.12, "delivery_cost_per_trip": 300, "waiting_cost_per_hour": 25})";

double crf(double r, double n) { return r * std::pow(1 + r, n) / (std::pow(1 + r, n) - 1); }

void check_close(double actual, double expected) {
  CHECK(std::abs(actual - expected) <= 1e-9 * std::max(1.0, std::abs(expected)));
}

/** The per-year flows and the totals of a record, by hand from its counts. */
struct Flows {
  double kg = 0, kwh = 0, deliveries = 0, waited_h = 0;
};
Flows flows_of(const ordered_json& record) {
  Flows f;
  f.kg = record["dispensed_kg"].get<double>();
  f.kwh = record.value("energy_kwh", 0.0);
  f.deliveries = record.value("deliveries", 0.0);
  f.waited_h =
      (record["wait_min"]["mean"].get<double>() * record["served"].get<double>() +
       record["abandon_wait_min"]["mean"].get<double>() * record["reneged"].get<double>()) /
      60;
  return f;
}

/** Checks every economics figure of `record` from its capital and hydrogen cost of the window. */
void check_record(const ordered_json& record, double capex, double annualized, double om,
                  double hydrogen_window, double days) {
  CAPTURE(record.dump());
  const Flows f = flows_of(record);
  const auto& e = record["economics"];
  const double year = 365 / days;
  check_close(e["capex"].get<double>(), capex);
  check_close(e["annualized_capex"].get<double>(), annualized);
  check_close(e["fixed_om_per_year"].get<double>(), om);
  const double h2 = hydrogen_window * year;
  const double power = f.kwh * electricity * year;
  const double trips = f.deliveries * per_trip * year;
  const double waiting = f.waited_h * per_hour * year;
  check_close(e["hydrogen_cost_per_year"].get<double>(), h2);
  check_close(e["electricity_cost_per_year"].get<double>(), power);
  check_close(e["delivery_cost_per_year"].get<double>(), trips);
  check_close(e["waiting_cost_per_year"].get<double>(), waiting);
  const double total = annualized + om + h2 + power + trips + waiting;
  check_close(e["total_cost_per_year"].get<double>(), total);
  REQUIRE(f.kg > 0);
  check_close(e["cost_per_kg"].get<double>(), (total - waiting) / (f.kg * year));
  check_close(e["social_cost_per_kg"].get<double>(), total / (f.kg * year));
}

void check_station(const ordered_json& station, const Priced& p, double days) {
  check_record(station, p.capex, p.capex * crf(rate, p.lifetime), p.om * p.capex,
               station["dispensed_kg"].get<double>() * p.h2_per_kg, days);
}

std::string station(const std::string& id, double x, const std::string& rest) {
  return R"({"id": ")" + id + R"(", "x_km": )" + std::to_string(x) +
         R"(, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1, "overhead_min": 1)" + rest +
         "}";
}

std::string scenario(const std::string& stations, const std::string& extra = "") {
  return R"({"name": "economics", "seed": 5, "horizon_days": 6, "warmup_days": 1,
    "stations": [)" +
         stations + R"(], "demand": {"model": "poisson", "arrivals_per_h": 14, "kg_per_fill": 4,
    "driver": {"patience_min": {"dist": "exponential", "mean": 20}}})" +
         extra + "}";
}

} // namespace

TEST_CASE("economics: one station of each supply model, every figure by hand") {
  constexpr double base = 1200000 + 2 * 150000;
  struct Case {
    const char* model;
    std::string rest;
    double capex;
    double h2;
  };
  const std::string storage = R"(, "storage": {"capacity_kg": 400, "initial_kg": 300})";
  const Case cases[] = {
      {"unlimited", "", base, 6.0},
      {"unlimited with a buffer", R"(, "buffer": {"capacity_kg": 50, "compressor_kg_per_h": 30})",
       base + 50 * 1000 + 30 * 20000, 6.0},
      {"none",
       R"(, "storage": {"capacity_kg": 20000, "initial_kg": 20000}, "supply": {"model": "none"})",
       base + 20000 * 1800, 3.0},
      {"delivery",
       storage + R"(, "supply": {"model": "delivery", "payload_kg": 200, "reorder_at_kg": 150,
                     "lead_time_h": 3})",
       base + 400 * 1800, 7.0},
      {"pipeline",
       storage + R"(, "supply": {"model": "pipeline", "pipeline": "P1", "max_rate_kg_per_h": 40})",
       base + 400 * 1800 + 900000 * 2.5, 4.0},
      {"onsite",
       storage + R"(, "supply": {"model": "onsite", "rate_kg_per_h": 40, "kwh_per_kg": 55})",
       base + 400 * 1800 + 1500 * 40 * 55, 0.0},
      {"scheduled",
       storage + R"(, "supply": {"model": "scheduled", "payload_kg": 300, "every_h": 24})",
       base + 400 * 1800, 6.5},
  };
  for (const Case& c : cases) {
    CAPTURE(c.model);
    const auto metrics = run_text(
        scenario(station("S1", 0, c.rest),
                 R"(, "pipelines": [{"id": "P1", "capacity_kg_per_h": 100}])" + economics_block));
    const auto& s = metrics["stations"][0];
    check_station(s, {c.capex, 20, 0.04, c.h2}, 6);
    check_station(metrics["totals"], {c.capex, 20, 0.04, c.h2}, 6);
    CHECK(s["served"].get<double>() > 0);
    CHECK(s["reneged"].get<double>() > 0); // patience makes abandoned waits count too
  }
}

TEST_CASE("economics: three stations, a shared depot and a station's own costs, by hand") {
  // A and B order trailers from D1 (3 trailers): each carries half of 500,000 + 3 x 400,000. C
  // produces on site and has its own base capex and lifetime.
  const std::string storage = R"(, "storage": {"capacity_kg": 500, "initial_kg": 400})";
  const std::string trailer = R"(, "supply": {"model": "delivery", "payload_kg": 300,
      "reorder_at_kg": 200, "lead_time_h": 2, "depot": "D1"})";
  const std::string text = scenario(
      station("A", 0, storage + trailer) + "," + station("B", 8, storage + trailer) + "," +
          station("C", 16, storage + R"(, "supply": {"model": "onsite", "rate_kg_per_h": 30,
                      "kwh_per_kg": 52}, "economics": {"base_capex": 2000000,
                      "lifetime_years": 10, "fixed_om_fraction": 0.05})"),
      R"(, "depots": [{"id": "D1", "x_km": 4, "y_km": 3, "trailers": 3, "speed_kmh": 40}])" +
          economics_block);
  const auto metrics = run_text(text);
  const double common = 2 * 150000 + 500 * 1800;
  const double depot_share = (500000 + 3 * 400000) / 2.0;
  const Priced a{1200000 + common + depot_share, 20, 0.04, 7.0};
  const Priced c{2000000 + common + 1500 * 30 * 52, 10, 0.05, 0.0};
  const auto& stations = metrics["stations"];
  check_station(stations[0], a, 6);
  check_station(stations[1], a, 6);
  check_station(stations[2], c, 6);
  CHECK(stations[0]["deliveries"].get<double>() > 0);
  CHECK(stations[2]["energy_kwh"].get<double>() > 0);
  // Totals are the sums; the per-kg figures come from the sums.
  const double capex = 2 * a.capex + c.capex;
  const double annualized = 2 * a.capex * crf(rate, 20) + c.capex * crf(rate, 10);
  const double om = 2 * 0.04 * a.capex + 0.05 * c.capex;
  const double h2 =
      (stations[0]["dispensed_kg"].get<double>() + stations[1]["dispensed_kg"].get<double>()) * 7.0;
  check_record(metrics["totals"], capex, annualized, om, h2, 6);
}

TEST_CASE("economics: no block, no economics in the metrics") {
  const auto metrics = run_text(scenario(station("S1", 0, "")));
  CHECK_FALSE(metrics["totals"].contains("economics"));
  CHECK_FALSE(metrics["stations"][0].contains("economics"));
}

TEST_CASE("economics: a price of -0 is 0: no cost prints as -0.0") {
  // A waiting cost and a hydrogen price of -0.0 (valid: at least 0) made costs of -0.0.
  std::string block = economics_block;
  block.replace(block.find("\"waiting_cost_per_hour\": 25"), 27, "\"waiting_cost_per_hour\": -0.0");
  block.replace(block.find("\"unlimited\": 6.0"), 16, "\"unlimited\": -0.0");
  const auto metrics = run_text(scenario(station("S1", 0, ""), block));
  const std::string text = metrics.dump();
  CHECK(text.find("-0.0") == std::string::npos);
  CHECK(std::signbit(metrics["totals"]["economics"]["waiting_cost_per_year"].get<double>()) ==
        false);
}

TEST_CASE("economics: with replications the per-kg figures get Student-t intervals") {
  const auto metrics =
      run_text(scenario(station("S1", 0, ""), economics_block), {{"replications", "4"}});
  std::vector<double> values;
  for (const auto& totals : metrics["replication_totals"]) {
    values.push_back(totals["economics"]["social_cost_per_kg"].get<double>());
  }
  const auto [low, high] = h2sim::ci95(values);
  const auto& ci = metrics["ci95"]["totals.economics.social_cost_per_kg"];
  CHECK(ci[0].get<double>() == low);
  CHECK(ci[1].get<double>() == high);
  CHECK(metrics["ci95"].contains("totals.economics.total_cost_per_year"));
  CHECK(metrics["ci95"].contains("totals.economics.cost_per_kg"));
  // Each of its intervals is warned of as the others are: 4 replications are too few (the
  // economics' had no warning, though size and site target them).
  std::size_t warned = 0;
  for (const auto& warning : metrics["warnings"]) {
    const std::string pointer = warning["pointer"];
    if (pointer.starts_with("/ci95/totals.economics.")) {
      ++warned;
      CHECK(warning["message"].get<std::string>().find(": only 4 replications: too few") !=
            std::string::npos);
    }
  }
  CHECK(warned == 7);
}

TEST_CASE("economics: capital recovery at a zero discount rate is capex over the lifetime") {
  const auto metrics = run_text(
      scenario(station("S1", 0, ""),
               R"(, "economics": {"station": {"base_capex": 1000000, "lifetime_years": 8}})"));
  check_close(metrics["totals"]["economics"]["annualized_capex"].get<double>(), 125000);
  check_close(metrics["totals"]["economics"]["fixed_om_per_year"].get<double>(), 0);
}

TEST_CASE("economics: capital recovery stays finite at the ends of what is allowed") {
  // (1+r)^n overflows a double at r = 2 over 700 years: inf / inf gave null costs.
  CHECK(h2sim::models::capital_recovery_factor(2, 700) == 2);
  CHECK(h2sim::models::capital_recovery_factor(10, 1000) == 10);
  // (1+r)^n finite but r (1+r)^n not: 10 over 295.5 years.
  CHECK(h2sim::models::capital_recovery_factor(10, 295.5) == 10);
  // The shortest lifetime allowed, at the highest rate: large, and finite.
  CHECK(std::isfinite(h2sim::models::capital_recovery_factor(10, 0.001) * 1e12 * 10000));
  // Still the formula where it does not overflow: 10% over 15 years.
  check_close(h2sim::models::capital_recovery_factor(0.1, 15), 0.13147377688737);
  const auto metrics = run_text(scenario(
      station("S1", 0, ""), R"(, "economics": {"discount_rate": 10, "station": {"base_capex": )"
                            R"(1000000000000, "lifetime_years": 1000}})"));
  check_close(metrics["totals"]["economics"]["annualized_capex"].get<double>(), 1e13);
}

TEST_CASE("economics: bad input is refused with JSON pointers") {
  const std::string bad =
      scenario(station("S1", 0, R"(, "economics": {"base_capex": -5})") + "," +
                   station("S2", 3, R"(, "economics": {"lifetime_years": 0})"),
               R"(, "economics": {"discount_rate": -1, "station": {"lifetime_years": 0,
          "per_dispenser_capex": -1}, "electricity_cost_per_kwh": -0.1,
          "hydrogen_cost_per_kg": {"delivery": -7, "tube": 5}})");
  CHECK(problems_of(bad) ==
        "/stations/0/economics/base_capex: must be a number >= 0\n"
        "/stations/1/economics/lifetime_years: must be a number >= 0.001\n"
        "/economics/discount_rate: must be a number > -1\n"
        "/economics/station/per_dispenser_capex: must be a number >= 0\n"
        "/economics/station/lifetime_years: must be a number >= 0.001\n"
        "/economics/hydrogen_cost_per_kg/delivery: must be a number >= 0\n"
        "/economics/hydrogen_cost_per_kg/tube: unknown key (allowed here: unlimited, none, "
        "delivery, pipeline, onsite, scheduled)\n"
        "/economics/electricity_cost_per_kwh: must be a number >= 0\n");
  CHECK(problems_of(scenario(station("S1", 0, R"(, "economics": {"base_capex": 5})"),
                             R"(, "economics": {"waiting_cost_per_hour": 20})")) ==
        "/stations/0/economics: needs economics.station, the costs it replaces (with "
        "lifetime_years)\n");
  CHECK(problems_of(
            scenario(station("S1", 0, ""), R"(, "economics": {"depot": {"base_capex": 5}})")) ==
        "/economics/depot: needs economics.station, whose lifetime_years annualises the depots' "
        "capital\n");
  CHECK(problems_of(
            scenario(station("S1", 0, ""), R"(, "economics": {"station": {"base_capex": 5}})")) ==
        "/economics/station/lifetime_years: is required: a number >= 0.001 and <= 1000\n");
}
