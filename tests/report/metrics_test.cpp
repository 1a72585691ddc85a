// The metric declarations (report/fields.cpp) drive totals, the compact form and the combining of
// replications; these tests check the generic mechanisms on hand-made tallies.
#include "report/aggregate.hpp"
#include "report/compact.hpp"
#include "report/document.hpp"
#include "report/fields.hpp"

#include <h2sim/h2sim.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <variant>

using namespace h2sim::report;

namespace {

/** Sets every stored number of `tally` that `field` reads to `value`. */
template <class R> void set_member(const Field<R>& field, R& tally, double value) {
  std::visit(
      [&]<class Source>(Source source) {
        if constexpr (std::is_same_v<Source, std::uint64_t SeriesBin::*>) {
          tally.series.resize(2);
          tally.series[1].*source = static_cast<std::uint64_t>(value);
        } else if constexpr (std::is_same_v<Source, double SeriesBin::*>) {
          tally.series.resize(2);
          tally.series[1].*source = value;
        } else if constexpr (std::is_member_object_pointer_v<Source>) {
          auto& member = tally.*source;
          using Value = std::remove_cvref_t<decltype(member)>;
          if constexpr (std::is_same_v<Value, std::uint64_t>) {
            member = static_cast<std::uint64_t>(value);
          } else if constexpr (std::is_same_v<Value, double>) {
            member = value;
          } else if constexpr (std::is_same_v<Value, std::array<std::uint64_t, hours>>) {
            member.fill(static_cast<std::uint64_t>(value));
          } else if constexpr (std::is_same_v<Value, std::array<double, hours>>) {
            member.fill(value);
          } else if constexpr (std::is_same_v<Value, h2sim::QuantileSketch>) {
            member.add(value);
          } else if constexpr (std::is_same_v<Value, std::array<h2sim::QuantileSketch, hours>>) {
            for (auto& hour : member) {
              hour.add(value);
            }
          } else if constexpr (std::is_same_v<Value, std::vector<h2sim::QuantileSketch>>) {
            member.resize(2);
            member[1].add(value);
          }
        }
      },
      field.source);
}

/** The reported value at `path` of a totals record. */
double leaf(const RecordValues& record, const std::string& path) {
  const std::vector<Leaf>& layout = station_layout(record.groups, Scope::totals);
  for (std::size_t i = 0; i < layout.size(); ++i) {
    if (layout[i].path == path) {
      return record.leaves.at(i);
    }
  }
  FAIL("no leaf " << path);
  return 0;
}

ReplicationValues replication(double arrivals, double queue_max, double inventory_min) {
  StationTally station;
  station.groups = group::supply;
  station.dispensers = 2;
  station.arrivals = static_cast<std::uint64_t>(arrivals);
  station.queue_max = static_cast<std::uint64_t>(queue_max);
  station.inventory_min_kg = inventory_min;
  station.hourly_wait[3].add(arrivals);
  ReplicationTallies tallies;
  tallies.window = {0, 1440};
  tallies.stations = {station};
  return values_of(tallies);
}

} // namespace

TEST_CASE("metrics: every stored station field is formed in the totals by its kind") {
  // Two stations with every field's stored value at 1 (and 2): a count, quantity or minimum adds
  // up to 3, a maximum is 2, sketches merge. A field added to StationTally and declared in
  // fields.cpp is totalled; one declared with a source that does not fit its kind is refused.
  StationTally a;
  StationTally b;
  a.groups = group::all;
  b.groups = group::all;
  for (const Field<StationTally>& field : station_fields()) {
    set_member(field, a, 1);
    set_member(field, b, 2);
  }
  StationTally network;
  for (const Field<StationTally>& field : station_fields()) {
    if (field.from_network) {
      set_member(field, network, 4);
    }
  }
  const StationTally total = totals_of({a, b}, {}, network);
  for (const Field<StationTally>& field : station_fields()) {
    CAPTURE(std::string(field.key));
    if (field.from_classes != nullptr) {
      continue; // summed over the classes, below
    }
    std::visit(
        [&]<class Source>(Source source) {
          if constexpr (std::is_same_v<Source, std::uint64_t SeriesBin::*> ||
                        std::is_same_v<Source, double SeriesBin::*>) {
            CHECK(static_cast<double>(total.series.at(1).*source) == 3);
          } else if constexpr (std::is_same_v<Source,
                                              std::vector<h2sim::QuantileSketch> StationTally::*>) {
            // The network's, not the stations' (theirs would merge into 2 samples).
            REQUIRE(field.from_network);
            CHECK((total.*source).at(1).count() == 1);
            CHECK((total.*source).at(1).max() == 4);
          } else if constexpr (std::is_member_object_pointer_v<Source>) {
            const auto& value = total.*source;
            using Value = std::remove_cvref_t<decltype(value)>;
            if constexpr (std::is_arithmetic_v<Value>) {
              CHECK(static_cast<double>(value) == (field.kind == Kind::maximum ? 2 : 3));
            } else if constexpr (std::is_same_v<Value, std::array<std::uint64_t, hours>> ||
                                 std::is_same_v<Value, std::array<double, hours>>) {
              CHECK(static_cast<double>(value[7]) == 3);
            } else if constexpr (std::is_same_v<Value, h2sim::QuantileSketch>) {
              CHECK(value.count() == 2);
            } else {
              CHECK(value[5].count() == 2);
            }
          }
        },
        field.source);
  }
  h2sim::report::ClassTally taxi;
  taxi.stranded = 4;
  taxi.gave_up = 5;
  const StationTally none;
  const StationTally with_classes = totals_of({none}, {taxi, taxi});
  CHECK(with_classes.stranded == 8);
  CHECK(with_classes.gave_up == 10);
}

TEST_CASE("metrics: stations without storage count what they dispense as delivered in totals") {
  StationTally stored;
  stored.groups = group::supply;
  stored.delivered_kg = 100;
  stored.dispensed_kg = 80;
  StationTally unlimited;
  unlimited.dispensed_kg = 30;
  CHECK(totals_of({stored, unlimited}, {}).delivered_kg == 130);
  CHECK(totals_of({unlimited}, {}).delivered_kg == 0); // no station has storage: not reported
}

TEST_CASE("metrics: the compact form gives back exactly the values it was given") {
  ReplicationValues values = replication(7, 3, 12.5);
  values.totals.leaves.at(10) = 0.1 + 0.2; // a double that prints with 17 digits
  values.stations.at(0).leaves.at(11) = std::numeric_limits<double>::quiet_NaN();
  values.events = 123;
  values.wall_s = 0.25;
  const ReplicationValues back = decode(encode(values));
  CHECK(back.totals == values.totals);
  CHECK(back.events == 123);
  CHECK(back.wall_s == 0.25);
  REQUIRE(back.stations.size() == 1);
  CHECK(std::isnan(back.stations[0].leaves[11]));
  CHECK_THROWS_AS(decode("{\"totals\": 1}"), CompactError);
  CHECK_THROWS_AS(decode("not json"), CompactError);
  auto damaged = nlohmann::json::parse(encode(values));
  damaged["totals"].erase(damaged["totals"].size() - 1); // one value short of its layout
  CHECK_THROWS_AS(decode(damaged.dump()), CompactError);
}

TEST_CASE("metrics: the compact form carries the totals' waits, within a bound on their size") {
  ReplicationValues values = replication(7, 3, 12.5);
  REQUIRE(values.waits.has_value());
  CHECK(values.waits->count() == 1); // replication() has one served wait, of 7 minutes
  const ReplicationValues back = decode(encode(values));
  CHECK(back == values);
  CHECK(back.waits->quantile(0.95) == values.waits->quantile(0.95));
  auto text = nlohmann::json::parse(encode(values));
  text.erase("waits"); // a journal line written before waits were carried
  CHECK_FALSE(decode(text.dump()).waits.has_value());
  auto wide = nlohmann::json::parse(encode(values));
  for (std::size_t i = 0; i < ReplicationValues::max_carried_buckets; ++i) {
    wide["waits"].push_back(1);
  }
  CHECK_THROWS_AS(decode(wide.dump()), CompactError);
  wide["waits"] = {1, 2.5, "x", 0};
  CHECK_THROWS_AS(decode(wide.dump()), CompactError);
  // A replication's waits are collapsed to the bound before they cross.
  StationTally station;
  station.dispensers = 1;
  for (int i = 0; i < 3000; ++i) {
    station.hourly_wait[0].add(std::pow(1.0101, i));
  }
  ReplicationTallies tallies;
  tallies.window = {0, 1440};
  tallies.stations = {station};
  const ReplicationValues many = values_of(tallies);
  CHECK(many.waits->parts().buckets.size() == ReplicationValues::max_carried_buckets);
  CHECK(many.waits->count() == 3000);
  CHECK(decode(encode(many)) == many);
}

namespace {

/** A replication's values as versions before 2026-12-04 wrote them: nlohmann::json's dump(). */
std::string written_by_nlohmann(const ReplicationValues& values, int indent = -1) {
  const auto record = [](const RecordValues& r) {
    nlohmann::json out = nlohmann::json::array({r.groups});
    for (double v : r.leaves) {
      out.push_back(v); // doubles throughout, as "100.0" (integers were "100": both read back)
    }
    return out;
  };
  nlohmann::json out{{"h2sim_values", 3},
                     {"events", values.events},
                     {"wall_s", values.wall_s},
                     {"bins", values.totals.bins},
                     {"totals", record(values.totals)},
                     {"stations", nlohmann::json::array()},
                     {"classes", nlohmann::json::array()}};
  for (const RecordValues& r : values.stations) {
    out["stations"].push_back(record(r));
  }
  for (const RecordValues& r : values.classes) {
    out["classes"].push_back(record(r));
  }
  if (values.waits) {
    const auto parts = values.waits->parts();
    nlohmann::json waits{parts.zeros, parts.sum, parts.max, parts.min_index};
    for (std::uint64_t n : parts.buckets) {
      waits.push_back(n);
    }
    out["waits"] = waits;
  }
  if (values.warmup) {
    out["warmup_days"] = values.warmup->days;
    out["warmup_stable"] = values.warmup->stable;
  }
  return out.dump(indent);
}

} // namespace

TEST_CASE("metrics: the compact form reads what earlier versions wrote, spaces and all") {
  ReplicationValues values = replication(7, 3, 12.5);
  values.totals.leaves.at(10) = 0.1 + 0.2;
  values.totals.leaves.at(11) = 1e-300;
  values.totals.leaves.at(12) = -2.5e17;
  values.totals.leaves.at(13) = -0.0; // its sign survives a journal's reader too (below)
  values.stations.at(0).leaves.at(11) = std::numeric_limits<double>::quiet_NaN();
  values.classes.push_back({0, 0, std::vector<double>(class_layout().size(), 2.5)});
  values.classes.back().leaves.back() = 1e22;
  values.events = 18'446'744'073'709'551'615ULL; // the largest count
  values.wall_s = 3.0;
  values.warmup = ReplicationValues::ChosenWarmup{1.25, false};
  const auto same = [&](const ReplicationValues& back) {
    CHECK(back.totals == values.totals);
    CHECK(back.classes == values.classes);
    CHECK(back.waits == values.waits);
    CHECK(back.warmup == values.warmup);
    CHECK(back.events == values.events);
    CHECK(back.wall_s == values.wall_s);
    REQUIRE(back.stations.size() == 1);
    CHECK(std::isnan(back.stations[0].leaves[11])); // NaN, which is unequal to itself
    CHECK(std::signbit(back.totals.leaves[13]));
  };
  // A sweep's journal keeps each line as JSON it reads with nlohmann and writes back (resume).
  const std::string journaled = nlohmann::json::parse(encode(values)).dump();
  for (const std::string& text :
       {encode(values), written_by_nlohmann(values), written_by_nlohmann(values, 2),
        " " + encode(values) + "\n", journaled}) {
    CAPTURE(text.substr(0, 80));
    same(decode(text));
  }
  // The keys in the order nlohmann's dump() wrote them (sorted), and text it reads as the same
  // values.
  std::vector<std::string> keys;
  const nlohmann::ordered_json in_order = nlohmann::ordered_json::parse(encode(values));
  for (const auto& [key, value] : in_order.items()) {
    keys.push_back(key);
  }
  CHECK(keys.size() == 10);
  CHECK(std::is_sorted(keys.begin(), keys.end()));
  const nlohmann::json read = nlohmann::json::parse(encode(values));
  CHECK(read["totals"][11].get<double>() == 0.1 + 0.2);
  CHECK(read["events"].get<std::uint64_t>() == values.events);
  // Keys it does not know are passed over, whatever they hold.
  std::string extra = encode(values);
  extra.insert(1, R"("later":{"a\"b":[1,{"c":null}],"d":true},)");
  CHECK(decode(extra).events == values.events);
}

TEST_CASE("metrics: a station layout's size is told without building the layout") {
  for (std::uint8_t groups = 0; groups <= group::all; ++groups) {
    for (const Scope scope : {Scope::totals, Scope::stations}) {
      for (const std::uint32_t bins : {0U, 1U, 2U, 3U, 7U, 365U}) {
        CAPTURE(int{groups});
        CAPTURE(bins);
        CHECK(h2sim::report::station_layout_size(groups, scope, bins) ==
              station_layout(groups, scope, bins).size());
      }
    }
  }
}

TEST_CASE("metrics: the compact form refuses damaged text, every cut of it and every stray byte") {
  ReplicationValues values = replication(7, 3, 12.5);
  values.warmup = ReplicationValues::ChosenWarmup{1.25, true};
  const std::string text = encode(values);
  // A journal line cut short by a killed sweep: every prefix is refused as such, never a crash.
  for (std::size_t n = 0; n < text.size(); ++n) {
    CAPTURE(text.substr(0, n));
    CHECK_THROWS_AS(decode(text.substr(0, n)), CompactError);
  }
  const auto with = [&](const std::string& from, const std::string& to) {
    std::string damaged = text;
    const std::size_t at = damaged.find(from);
    REQUIRE(at != std::string::npos);
    return damaged.replace(at, from.size(), to);
  };
  for (const std::string& bad : {text + "x",
                                 text + "{}",
                                 with("\"events\":", "\"events\":-"),
                                 with("\"events\":", "\"events\":0"),
                                 with("\"events\":", "\"events\":+"),
                                 with("\"wall_s\":", "\"wall_s\":."),
                                 with("\"h2sim_values\":3", "\"h2sim_values\":2"),
                                 with("\"h2sim_values\":3", "\"h2sim_values\":\"3\""),
                                 with("\"bins\":0", "\"bins\":1"),
                                 with("\"bins\":0", "\"bins\":1e400"),
                                 with("\"totals\":[", "\"totals\":[\"x\","),
                                 with("\"totals\":[4", "\"totals\":[64"),
                                 with("\"stations\":[[", "\"stations\":[[,"),
                                 with("\"stations\":[", "\"stations\":{"),
                                 with("true", "yes"),
                                 with(",\"warmup_stable\":true", ""),
                                 with("\"waits\":[", "\"waits\":[null,"),
                                 with("\"events\"", "\"events\\u0041\""),
                                 std::string("\"later\":") + text,
                                 std::string(100, '[') + text,
                                 with("{", "{\"later\":" + std::string(100'000, '[')),
                                 with("\"warmup_days\":1.25,", ""),
                                 with("\"events\":0,", "\"events\":0,\"events\":0,"),
                                 with("{", "{\"l\xc3\xa4ter\":1,"),
                                 with("{", R"({"a\q":1,)"),
                                 with("{", R"({"\u12":1,)"),
                                 with("\"waits\":[0,", "\"waits\":[18446744073709551615,")}) {
    CAPTURE(bad.substr(0, 120));
    CHECK_THROWS_AS(decode(bad), CompactError);
  }
}

TEST_CASE("metrics: the sectioning and jackknife intervals of a quantile by hand") {
  // Sections' quantiles 10, 20, 30 around a pooled 25: squares 225 + 25 + 25 = 275;
  // half = t(2) sqrt(275 / 2 / 3) = 4.302653 x 6.770032.
  const auto [low, high] = sectioning_ci95(25, {10, 20, 30});
  CHECK(low == doctest::Approx(25 - 4.302653 * std::sqrt(275.0 / 6)));
  CHECK(high == doctest::Approx(25 + 4.302653 * std::sqrt(275.0 / 6)));
  // Pseudo-values 3 x 25 - 2 x (20, 24, 28) = 35, 27, 19: mean 27, sd 8.
  const auto [j_low, j_high] = jackknife_ci95(25, {20, 24, 28});
  CHECK(j_low == doctest::Approx(27 - 4.302653 * 8 / std::sqrt(3.0)));
  CHECK(j_high == doctest::Approx(27 + 4.302653 * 8 / std::sqrt(3.0)));
}

TEST_CASE("metrics: quantile intervals of waits pool the replications' sketches as asked") {
  const auto interval = [](const Aggregate& aggregate, const std::string& path) {
    for (const auto& [name, bounds] : aggregate.intervals()) {
      if (name == path) {
        return bounds;
      }
    }
    FAIL("no interval " << path);
    return std::pair<double, double>{};
  };
  Aggregate by_replications(3, h2sim::QuantileInterval::replications);
  Aggregate sectioning(3); // the default
  Aggregate jackknife(3, h2sim::QuantileInterval::jackknife);
  std::vector<double> p95;
  std::vector<ReplicationValues> sectioning_values;
  for (std::size_t r = 0; r < 3; ++r) {
    StationTally station; // 100 waits of r + 1 .. 100 (r + 1) minutes
    station.dispensers = 1;
    for (int i = 1; i <= 100; ++i) {
      station.hourly_wait[0].add(static_cast<double>(i) * static_cast<double>(r + 1));
    }
    ReplicationTallies tallies;
    tallies.window = {0, 1440};
    tallies.stations = {station};
    const ReplicationValues values = values_of(tallies);
    sectioning_values.push_back(values);
    p95.push_back(leaf(values.totals, "wait_min.p95"));
    CHECK(p95.back() == station.hourly_wait[0].quantile(0.95));
    for (Aggregate* aggregate : {&by_replications, &sectioning, &jackknife}) {
      aggregate->finished(r, values);
    }
  }
  REQUIRE(sectioning.pooled_waits().has_value());
  CHECK(sectioning.pooled_waits()->count() == 300);
  const double pooled = sectioning.pooled_waits()->quantile(0.95);
  CHECK(pooled > p95[1]); // the pool's p95 lies among the largest replication's waits
  CHECK(interval(sectioning, "wait_min.p95") == sectioning_ci95(pooled, p95));
  CHECK(interval(by_replications, "wait_min.p95") == h2sim::ci95(p95));
  CHECK(sectioning.pooled_quantile("wait_min.p95") == pooled);
  CHECK_FALSE(sectioning.pooled_quantile("wait_min.mean").has_value());
  // p50 and p90 are intervals of ci95 too, formed alike (they were Student-t, and only a size
  // target reached them).
  std::vector<double> p90;
  for (const RecordValues& totals : sectioning.replication_totals()) {
    p90.push_back(leaf(totals, "wait_min.p90"));
  }
  CHECK(interval(sectioning, "wait_min.p90") ==
        sectioning_ci95(sectioning.pooled_waits()->quantile(0.9), p90));
  CHECK(sectioning.quantile_interval_used() == h2sim::QuantileInterval::sectioning);
  CHECK(jackknife.quantile_interval_used() == h2sim::QuantileInterval::jackknife);
  // batches without series bins: sectioning's, and said so.
  Aggregate batches(3, h2sim::QuantileInterval::batches);
  for (std::size_t r = 0; r < 3; ++r) {
    batches.finished(r, sectioning_values[r]);
  }
  CHECK(batches.quantile_interval_used() == h2sim::QuantileInterval::sectioning);
  CHECK(interval(batches, "wait_min.p95") == interval(sectioning, "wait_min.p95"));
  // The jackknife leaves each replication's 100 waits out of the pool in turn.
  std::vector<double> left_out;
  for (std::size_t r = 0; r < 3; ++r) {
    h2sim::QuantileSketch others;
    for (std::size_t o = 0; o < 3; ++o) {
      for (int i = 1; i <= 100 && o != r; ++i) {
        others.add(static_cast<double>(i) * static_cast<double>(o + 1));
      }
    }
    left_out.push_back(others.quantile(0.95));
  }
  CHECK(interval(jackknife, "wait_min.p95") == jackknife_ci95(pooled, left_out));
  // Other metrics keep the Student-t interval of the mean.
  CHECK(interval(sectioning, "arrivals") == interval(by_replications, "arrivals"));
  // A replication without waits (an old journal's) leaves the Student-t interval.
  Aggregate mixed(2, h2sim::QuantileInterval::sectioning);
  ReplicationValues old = replication(10, 1, 1);
  old.waits.reset();
  mixed.finished(0, replication(20, 1, 1));
  mixed.finished(1, old);
  CHECK_FALSE(mixed.pooled_waits().has_value());
  CHECK(mixed.quantile_interval_used() == h2sim::QuantileInterval::replications);
  CHECK(interval(mixed, "wait_min.p95") ==
        h2sim::ci95({leaf(mixed.replication_totals()[0], "wait_min.p95"),
                     leaf(mixed.replication_totals()[1], "wait_min.p95")}));
}

TEST_CASE("metrics: replications combine by kind, in index order whatever order they end in") {
  // Means of counts, max of maxima, min of minima; replication 1 failed.
  Aggregate in_order(4);
  in_order.finished(0, replication(10, 2, 50));
  in_order.failed(1, "boom");
  in_order.finished(2, replication(20, 5, 40));
  in_order.finished(3, replication(30, 1, 60));
  Aggregate shuffled(4);
  shuffled.finished(3, replication(30, 1, 60));
  CHECK_FALSE(shuffled.complete());
  shuffled.finished(2, replication(20, 5, 40));
  shuffled.failed(1, "boom");
  shuffled.finished(0, replication(10, 2, 50));
  shuffled.finished(0, replication(99, 9, 9)); // a second report of a replication is ignored
  REQUIRE(in_order.complete());
  REQUIRE(shuffled.complete());
  CHECK(shuffled.finished_indices() == std::vector<std::size_t>{0, 2, 3});
  const ReplicationValues combined = shuffled.combined();
  CHECK(combined.totals == in_order.combined().totals);
  CHECK(combined.stations == in_order.combined().stations);
  CHECK(leaf(combined.totals, "arrivals") == 20);
  CHECK(leaf(combined.totals, "inventory_min_kg") == 40);
  const std::vector<Leaf>& layout = station_layout(group::supply, Scope::stations);
  for (std::size_t i = 0; i < layout.size(); ++i) {
    if (layout[i].path == "queue_max") {
      CHECK(combined.stations[0].leaves[i] == 5);
    }
  }
  CHECK(shuffled.replication_totals().size() == 3);
  CHECK(shuffled.failures().at(1) == "boom");
}

TEST_CASE("metrics: the schema and the document are drawn from the same declarations") {
  const nlohmann::ordered_json schema = metrics_schema();
  const auto& totals = schema["$defs"]["totals"]["properties"];
  const auto& station = schema["$defs"]["station"]["properties"];
  // Whether the schema of a record declares the dotted key, nested objects followed.
  const auto declares = [](const nlohmann::ordered_json& properties, std::string_view dotted) {
    const nlohmann::ordered_json* at = &properties;
    for (std::size_t start = 0;;) {
      const std::size_t dot = dotted.find('.', start);
      const std::string name(dotted.substr(start, dot - start));
      if (!at->contains(name)) {
        return false;
      }
      if (dot == std::string_view::npos) {
        return true;
      }
      at = &(*at)[name]["properties"];
      start = dot + 1;
    }
  };
  for (const Field<StationTally>& field : station_fields()) {
    CAPTURE(std::string(field.key));
    CHECK(declares(totals, field.key) == (field.reported && field.scope != Scope::stations));
    CHECK(declares(station, field.key) == (field.reported && field.scope != Scope::totals));
  }
  const nlohmann::ordered_json json =
      station_json(replication(3, 1, 5).totals, Scope::totals, true);
  for (const auto& item : json.items()) {
    const std::string& key = item.key();
    CAPTURE(key);
    CHECK(totals.contains(key));
  }
  // Series are optional: a window without bins has none.
  CHECK_FALSE(json.contains("series"));
  CHECK(std::find(schema["$defs"]["totals"]["required"].begin(),
                  schema["$defs"]["totals"]["required"].end(),
                  "series") == schema["$defs"]["totals"]["required"].end());
}

TEST_CASE("metrics: any metric path's estimate, a station's and a class's interval by hand") {
  // Three replications of two stations and a class: "served" of station B is 10, 13, 19 and the
  // class's refuels 100, 104, 111; their Student-t intervals computed here from the values.
  const auto& stations = station_layout(0, Scope::stations);
  const auto& totals = station_layout(0, Scope::totals);
  const auto& classes = class_layout();
  const auto index = [](const std::vector<Leaf>& layout, const std::string& path) {
    for (std::size_t i = 0; i < layout.size(); ++i) {
      if (layout[i].path == path) {
        return i;
      }
    }
    FAIL("no leaf " << path);
    return std::size_t{0};
  };
  const double served_b[] = {10, 13, 19};
  const double refuels[] = {100, 104, 111};
  Run run;
  run.labels = {{"A", "B"}, {"taxi"}};
  run.aggregate = Aggregate(3);
  for (std::size_t r = 0; r < 3; ++r) {
    ReplicationValues values;
    values.totals.leaves.assign(totals.size(), 1.0 + static_cast<double>(r));
    values.stations.assign(2, RecordValues{0, 0, std::vector<double>(stations.size(), 5.0)});
    values.stations[1].leaves[index(stations, "served")] = served_b[r];
    values.classes.assign(1, RecordValues{0, 0, std::vector<double>(classes.size(), 0.0)});
    values.classes[0].leaves[index(classes, "refuels")] = refuels[r];
    run.aggregate.finished(r, values);
  }
  const auto check = [&](const std::string& path, const std::vector<double>& each) {
    CAPTURE(path);
    const Estimate e = estimate(run, path);
    const auto [low, high] = h2sim::ci95(each);
    CHECK(e.value == doctest::Approx((each[0] + each[1] + each[2]) / 3).epsilon(1e-15));
    REQUIRE(e.ci95);
    CHECK(e.ci95->first == doctest::Approx(low).epsilon(1e-12));
    CHECK(e.ci95->second == doctest::Approx(high).epsilon(1e-12));
  };
  check("stations[id=B].served", {10, 13, 19});
  check("stations.1.served", {10, 13, 19});
  check("stations.0.served", {5, 5, 5});
  check("classes[name=taxi].refuels", {100, 104, 111});
  check("classes.0.refuels", {100, 104, 111});
  check("totals.served", {1, 2, 3});
  const auto message = [&](const std::string& path) {
    try {
      estimate(run, path);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("stations[id=C].served") ==
        "the metrics have no stations[id=C].served (no open station C)");
  CHECK(message("stations.2.served") == "the metrics have no stations.2.served (2 open stations)");
  CHECK(message("stations[name=B].served") ==
        "the metrics have no stations[name=B].served (select by [id=...])");
  CHECK(message("classes[name=bus].refuels") ==
        "the metrics have no classes[name=bus].refuels (no class bus)");
  CHECK(message("stations.1.sold") == "the metrics have no stations.1.sold");
  CHECK(message("served") == "the metrics have no served (a metric path starts with totals., "
                             "stations or classes)");
}
