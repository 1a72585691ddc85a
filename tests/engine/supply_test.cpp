// Supply models against results computed by hand, and hydrogen conservation on every model.
#include "../support.hpp"

#include <doctest/doctest.h>

#include <string>

using h2sim::test::run_text;

namespace {
/** Checks storage conservation on every station with finite storage, to 1e-6 kg. */
void check_conservation(const nlohmann::ordered_json& metrics) {
  for (const auto& station : metrics["stations"]) {
    if (!station.contains("delivered_kg")) {
      continue;
    }
    CAPTURE(station["id"]);
    const double in =
        station["inventory_start_kg"].get<double>() + station["delivered_kg"].get<double>();
    const double out =
        station["dispensed_kg"].get<double>() + station["inventory_end_kg"].get<double>();
    CHECK(std::abs(in - out) <= 1e-6);
    CHECK(station["inventory_min_kg"].get<double>() >= -1e-9);
    CHECK(station["arrivals"].get<double>() == station["served"].get<double>() +
                                                   station["balked"].get<double>() +
                                                   station["turned_away_stockout"].get<double>());
  }
}

std::string station(const std::string& id, double x, const std::string& storage_and_supply,
                    const std::string& extra = "") {
  return R"({"id": ")" + id + R"(", "x_km": )" + std::to_string(x) +
         R"(, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1, "overhead_min": 0, )" +
         storage_and_supply + extra + "}";
}

std::string scenario(const std::string& stations, double per_h, double days,
                     const std::string& extra = "") {
  return R"({"name": "supply", "seed": 11, "horizon_days": )" + std::to_string(days) +
         R"(, "stations": [)" + stations +
         R"(], "demand": {"model": "poisson", "arrivals_per_h": )" + std::to_string(per_h) +
         R"(, "kg_per_fill": 4})" + extra + "}";
}
} // namespace

TEST_CASE(
    "supply::none: 100 kg and 4-kg fills serve exactly 25 vehicles, then turn the rest away") {
  const auto metrics = run_text(scenario(
      station("S1", 0,
              R"("storage": {"capacity_kg": 100, "initial_kg": 100}, "supply": {"model": "none"})"),
      10, 3));
  const auto& s = metrics["stations"][0];
  CHECK(s["served"] == 25);
  CHECK(s["dispensed_kg"] == 100.0);
  CHECK(s["turned_away_stockout"].get<double>() == s["arrivals"].get<double>() - 25);
  CHECK(s["inventory_end_kg"] == 0.0);
  CHECK(s["deliveries"] == 0);
  // Dry from the first vehicle turned away (the 26th arrival, about 2.5 h in) to the end.
  CHECK(s["stockout_h"].get<double>() > 3 * 24 - 4);
  CHECK(s["stockout_h"].get<double>() < 3 * 24 - 1.5);
  check_conservation(metrics);
}

TEST_CASE("supply::pipeline: two stations drawing at once share 10 kg/h, 5 kg/h each") {
  // No vehicles: both tanks start empty and draw from t = 0. Each may take up to 8 kg/h, so a fair
  // share of 10 kg/h is 5 each. A holds only 24 kg: full after 4.8 h, then B alone gets its 8 kg/h.
  const std::string pipe =
      R"("supply": {"model": "pipeline", "pipeline": "P1", "max_rate_kg_per_h": 8})";
  const auto metrics = run_text(scenario(
      station("A", 0, R"("storage": {"capacity_kg": 24, "initial_kg": 0}, )" + pipe) + "," +
          station("B", 5, R"("storage": {"capacity_kg": 1000, "initial_kg": 0}, )" + pipe),
      0, 1, R"(, "pipelines": [{"id": "P1", "capacity_kg_per_h": 10}])"));
  const auto& a = metrics["stations"][0];
  const auto& b = metrics["stations"][1];
  CHECK(a["delivered_kg"].get<double>() == doctest::Approx(24).epsilon(1e-6));
  CHECK(b["delivered_kg"].get<double>() == doctest::Approx(5 * 4.8 + 8 * 19.2).epsilon(1e-6));
  check_conservation(metrics);
}

TEST_CASE("supply::pipeline: fills reopen the flow, and hydrogen is conserved under load") {
  const std::string pipe =
      R"("supply": {"model": "pipeline", "pipeline": "P1", "max_rate_kg_per_h": 30})";
  const auto metrics = run_text(scenario(
      station("A", 0, R"("storage": {"capacity_kg": 200, "initial_kg": 100}, )" + pipe) + "," +
          station("B", 5, R"("storage": {"capacity_kg": 200, "initial_kg": 100}, )" + pipe),
      8, 10, R"(, "pipelines": [{"id": "P1", "capacity_kg_per_h": 50}])"));
  // Demand 2 x 32 kg/h is above the pipeline's 50 kg/h: both stations run dry at times.
  CHECK(metrics["totals"]["turned_away_stockout"].get<double>() > 0);
  CHECK(metrics["totals"]["delivered_kg"].get<double>() <= 50.0 * 24 * 10 + 1e-6);
  CHECK(metrics["totals"]["delivered_kg"].get<double>() > 0.9 * 50.0 * 24 * 10);
  check_conservation(metrics);
}

TEST_CASE("supply::delivery: (s, Q) cycles with a fixed lead time") {
  // 10 vehicles/h x 4 kg = 40 kg/h; a 2-hour lead time needs 80 kg on average, well under
  // s = 300 kg (75 arrivals in 2 hours would be needed to run dry). Every trailer fits (the level
  // is at most s when ordering), so deliveries = delivered / Q.
  const std::string tank = R"("storage": {"capacity_kg": 1000, "initial_kg": 1000}, )";
  const auto covered = run_text(
      scenario(station("S1", 0, tank + R"("supply": {"model": "delivery", "payload_kg": 500,
        "reorder_at_kg": 300, "lead_time_h": {"dist": "fixed", "value": 2}})"),
               10, 30));
  const auto& s = covered["stations"][0];
  CHECK(s["turned_away_stockout"] == 0);
  CHECK(s["stockout_h"] == 0.0);
  CHECK(s["delivered_kg"].get<double>() == 500.0 * s["deliveries"].get<double>());
  // Demand over 30 days is about 28,800 kg: (28,800 - (1000 - 300)) / 500 = 56 trailers, +-2.
  const double predicted = (s["dispensed_kg"].get<double>() - 700) / 500;
  CHECK(std::abs(s["deliveries"].get<double>() - predicted) <= 1.0);
  CHECK(s["inventory_min_kg"].get<double>() > 0);
  check_conservation(covered);

  // s = 20 kg cannot cover 80 kg of lead-time demand: every cycle ends dry for a while.
  const auto short_s = run_text(
      scenario(station("S1", 0, tank + R"("supply": {"model": "delivery", "payload_kg": 500,
        "reorder_at_kg": 20, "lead_time_h": {"dist": "fixed", "value": 2}})"),
               10, 30));
  const auto& t = short_s["stations"][0];
  CHECK(t["turned_away_stockout"].get<double>() > 100);
  CHECK(t["stockout_h"].get<double>() > 0.5 * t["deliveries"].get<double>());
  check_conservation(short_s);
}

TEST_CASE("supply::delivery: a lead time of 0 under overload ends and keeps its books") {
  // 60 vehicles/h x 4 kg against 2 dispensers of 4-minute fills (30/h): the queue grows by 30 an
  // hour, and its promises soon exceed the 1000 kg storage while it is full. Once, every trailer
  // then unloaded nothing and ordered the next at once: at a lead time of 0 the run never ended.
  // Now a trailer comes only when a fill has made room, and keeps the storage topped up.
  const std::string tank = R"("storage": {"capacity_kg": 1000, "initial_kg": 1000}, )";
  const auto metrics = run_text(
      scenario(station("S1", 0, tank + R"("supply": {"model": "delivery", "payload_kg": 500,
        "reorder_at_kg": 500, "lead_time_h": {"dist": "fixed", "value": 0}})"),
               60, 1));
  const auto& s = metrics["stations"][0];
  CHECK(s["served"].get<double>() > 600);               // the dispensers never wait for gas
  CHECK(s["turned_away_stockout"].get<double>() > 100); // but promises exceed the storage
  CHECK(s["deliveries"].get<double>() <= s["served"].get<double>() + 1); // one per fill at most
  CHECK(s["inventory_min_kg"].get<double>() >= 500 - 4);
  check_conservation(metrics);
}

TEST_CASE("supply::onsite: production follows the hourly profile and stops when full") {
  // 10 kg/h from midnight to 6 am only: 60 kg a day, 55 kWh/kg. No vehicles.
  std::string profile = "[1, 1, 1, 1, 1, 1";
  for (int h = 6; h < 24; ++h) {
    profile += ", 0";
  }
  profile += "]";
  const std::string onsite = R"("supply": {"model": "onsite", "rate_kg_per_h": 10, "kwh_per_kg": 55,
    "hourly_profile": )" + profile +
                             "}";
  const auto metrics = run_text(scenario(
      station("A", 0, R"("storage": {"capacity_kg": 1000, "initial_kg": 0}, )" + onsite) + "," +
          station("B", 0, R"("storage": {"capacity_kg": 100, "initial_kg": 0}, )" + onsite),
      0, 3));
  CHECK(metrics["stations"][0]["delivered_kg"].get<double>() == doctest::Approx(180));
  CHECK(metrics["stations"][0]["energy_kwh"].get<double>() == doctest::Approx(180 * 55));
  CHECK(metrics["stations"][1]["delivered_kg"].get<double>() == doctest::Approx(100));
  check_conservation(metrics);
}

TEST_CASE("supply::onsite: a station that runs dry recovers when production covers a fill") {
  const auto metrics =
      run_text(scenario(station("S1", 0, R"("storage": {"capacity_kg": 50, "initial_kg": 50},
        "supply": {"model": "onsite", "rate_kg_per_h": 20})"),
                        8, 10));
  const auto& s = metrics["stations"][0];
  // 32 kg/h wanted, 20 kg/h made: about 5 of every 8 vehicles are served.
  CHECK(s["served"].get<double>() / s["arrivals"].get<double>() ==
        doctest::Approx(20.0 / 32).epsilon(0.05));
  CHECK(s["stockout_h"].get<double>() > 0);
  check_conservation(metrics);
}

TEST_CASE("supply::buffer: once the buffer is empty, fills share the compressor") {
  // Two dispensers kept busy (600 arrivals/h, 3 may wait), 5-kg fills, a 15-kg buffer and a
  // 12 kg/h compressor: after the buffer, the station can only give what the compressor makes,
  // 0.2 kg/min, shared by the two fills at once. In a day: (15 + 0.2 x 1440) / 5 = 60.6 fills at
  // most, and both dispensers are busy all the time. Without the limit it would be 576 fills.
  const auto metrics = run_text(
      R"({"name": "buffer", "seed": 3, "horizon_days": 1,
      "stations": [{"id": "S1", "x_km": 0, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 2,
                    "queue_capacity": 3, "buffer": {"capacity_kg": 15, "compressor_kg_per_h": 12}}],
      "demand": {"model": "poisson", "arrivals_per_h": 600, "kg_per_fill": 5}})");
  const auto& s = metrics["stations"][0];
  // Truncated fills at the end are counted as served too (two dispensers, three waiting).
  CHECK(s["served"].get<double>() >= 58);
  CHECK(s["served"].get<double>() <= 61 + 5);
  CHECK(s["utilization"].get<double>() > 0.99);
  CHECK(s["balked"].get<double>() > 10000);
}

TEST_CASE("supply::depot: an order waits for a free trailer") {
  // One trailer, two empty stations 20 km from the depot (30 min at 40 km/h), 1 h of loading.
  // A's order takes the trailer at t = 0: delivered at 1.5 h, trailer back at 2 h. B's order then
  // loads and is delivered at 3.5 h. With the window starting at 3 h, A's delivery falls before it
  // and B's inside it. With two trailers both arrive at 1.5 h, before the window.
  const std::string delivery = R"("storage": {"capacity_kg": 1000, "initial_kg": 0},
      "supply": {"model": "delivery", "payload_kg": 500, "reorder_at_kg": 10, "lead_time_h": 1,
                 "depot": "D1"})";
  const auto run_with = [&](int trailers) {
    return run_text(scenario(station("A", 20, delivery) + "," + station("B", -20, delivery), 0, 1,
                             R"(, "warmup_days": 0.125, "depots": [{"id": "D1", "x_km": 0,
                               "y_km": 0, "trailers": )" +
                                 std::to_string(trailers) + R"(, "speed_kmh": 40}])"));
  };
  const auto one = run_with(1);
  CHECK(one["stations"][0]["inventory_start_kg"] == 500.0);
  CHECK(one["stations"][0]["delivered_kg"] == 0.0);
  CHECK(one["stations"][1]["inventory_start_kg"] == 0.0);
  CHECK(one["stations"][1]["delivered_kg"] == 500.0);
  CHECK(one["stations"][1]["deliveries"] == 1);
  check_conservation(one);
  const auto two = run_with(2);
  CHECK(two["stations"][1]["inventory_start_kg"] == 500.0);
  CHECK(two["stations"][1]["delivered_kg"] == 0.0);
}

TEST_CASE("supply::onsite: energy covers the measurement window only") {
  // 10 kg/h all day at 50 kWh/kg; a 1-day warm-up then 2 days: 480 kg, 24,000 kWh in the window.
  const auto metrics =
      run_text(scenario(station("A", 0, R"("storage": {"capacity_kg": 10000, "initial_kg": 0},
        "supply": {"model": "onsite", "rate_kg_per_h": 10, "kwh_per_kg": 50})"),
                        0, 2, R"(, "warmup_days": 1)"));
  CHECK(metrics["stations"][0]["delivered_kg"].get<double>() == doctest::Approx(480));
  CHECK(metrics["stations"][0]["energy_kwh"].get<double>() == doctest::Approx(24000));
}
