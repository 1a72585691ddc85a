#include "schema.hpp"

namespace h2sim::scenario {

namespace {

using Property = Node::Property;

NodePtr make(Node node) { return std::make_shared<const Node>(std::move(node)); }

Node node_of(Node::Kind kind, std::string description) {
  Node node;
  node.kind = kind;
  node.description = std::move(description);
  return node;
}

// Upper bounds on quantities: beyond them the model cannot answer (sums over a century of fills
// would overflow, a fill would outlast the horizon, distances would leave the planet). Each keeps
// every derived quantity finite; the messages name the bound crossed.
constexpr double max_km = 1e5;           // coordinates and radii: the Earth is 40,000 km around
constexpr double max_kg = 1e6;           // storage, payloads: a thousand tonnes
constexpr double max_fill_kg = 1e4;      // one vehicle's tank or fill
constexpr double max_minutes = 1e6;      // durations in minutes: about two years
constexpr double max_hours = 1e5;        // durations in hours: about eleven years
constexpr double max_rate = 1e6;         // flows in kg/h, arrival rates in vehicles/h
constexpr double max_multiplier = 1e3;   // hourly profiles

NodePtr number(std::string description, std::optional<double> minimum = {},
               std::optional<double> exclusive_minimum = {},
               std::optional<double> exclusive_maximum = {},
               std::optional<double> maximum = {}) {
  Node node = node_of(Node::Kind::number, std::move(description));
  node.minimum = minimum;
  node.exclusive_minimum = exclusive_minimum;
  node.exclusive_maximum = exclusive_maximum;
  node.maximum = maximum;
  return make(std::move(node));
}
NodePtr positive(std::string description, double maximum) {
  return number(std::move(description), {}, 0.0, {}, maximum);
}
NodePtr hour_of_day() {
  Node node = node_of(Node::Kind::number, "an hour of the day, 0 to 24");
  node.minimum = 0.0;
  node.maximum = 24.0;
  return make(std::move(node));
}
NodePtr non_negative(std::string description, double maximum) {
  return number(std::move(description), 0.0, {}, {}, maximum);
}
NodePtr coordinate(std::string description) {
  return number(std::move(description), -max_km, {}, {}, max_km);
}

// Upper bounds keep every value representable where it is used (an int, a double's exact integers,
// a vector's size) and reject the absurd: a typo of 3e9 dispensers is an error, not an allocation.
constexpr double max_count = 1e6;
constexpr double max_days = 36500; // a century
constexpr double max_seed = 9007199254740991; // 2^53 - 1: exact in every JSON reader

NodePtr integer(std::string description, double minimum, double maximum = max_count) {
  Node node = node_of(Node::Kind::integer, std::move(description));
  node.minimum = minimum;
  node.maximum = maximum;
  return make(std::move(node));
}

/** Days; the measured horizon at least 0.001 (under two minutes), so the window is never empty. */
NodePtr days(std::string description, bool zero_allowed) {
  Node node = node_of(Node::Kind::number, std::move(description));
  node.minimum = zero_allowed ? 0.0 : 0.001;
  node.maximum = max_days;
  return make(std::move(node));
}

NodePtr text(std::string description) { return make(node_of(Node::Kind::string, std::move(description))); }

// Ids are referred to by other values and by trace rows, where an empty value means "none"; an
// empty file name names the scenario's folder.
NodePtr nonempty(std::string description) {
  Node node = node_of(Node::Kind::string, std::move(description));
  node.non_empty = true;
  return make(std::move(node));
}

NodePtr one_of(std::string description, std::vector<std::string> values) {
  Node node = node_of(Node::Kind::string, std::move(description));
  node.one_of = std::move(values);
  return make(std::move(node));
}

NodePtr object(std::string description, std::vector<Property> properties) {
  Node node = node_of(Node::Kind::object, std::move(description));
  node.properties = std::move(properties);
  return make(std::move(node));
}

NodePtr array(std::string description, NodePtr items, std::size_t min_items) {
  Node node = node_of(Node::Kind::array, std::move(description));
  node.items = std::move(items);
  node.min_items = min_items;
  return make(std::move(node));
}

Node tagged(std::string description, std::string tag,
            std::vector<std::pair<std::string, std::vector<Property>>> variants) {
  Node node = node_of(Node::Kind::tagged, std::move(description));
  for (auto& [name, properties] : variants) {
    properties.insert(properties.begin(), Property{tag, text("the model: " + name), true});
    node.variants.emplace_back(name, object("", std::move(properties)));
  }
  node.tag = std::move(tag);
  return node;
}

Property required(std::string name, NodePtr node) { return {std::move(name), std::move(node), true}; }
Property optional(std::string name, NodePtr node) { return {std::move(name), std::move(node), false}; }

/**
 * A distribution of a quantity that is at most `maximum`: its location parameters (value, mean,
 * bounds, values) are, so that draws stay finite. How skewed lognormal and gamma may be is checked
 * with the other relations (load.cpp).
 */
NodePtr distribution(std::string description, double maximum) {
  Node node = tagged(
      description + ". A number is a fixed value; an object names its `dist`", "dist",
      {{"fixed", {required("value", non_negative("the value", maximum))}},
       {"exponential", {required("mean", positive("mean", maximum))}},
       {"uniform", {required("min", non_negative("lower bound", maximum)),
                    required("max", non_negative("upper bound, >= min", maximum))}},
       {"normal", {required("mean", non_negative("mean before truncation at 0", maximum)),
                   required("sd", non_negative("standard deviation before truncation", maximum))}},
       {"lognormal", {required("mean", positive("mean of the variable itself", maximum)),
                      required("sd", non_negative("standard deviation of the variable itself",
                                                  1e3 * maximum))}},
       {"gamma", {required("mean", positive("mean", maximum)),
                  required("sd", positive("standard deviation", 1e3 * maximum))}},
       {"empirical", {required("values", array("the values", non_negative("a value", maximum), 1)),
                      optional("weights", array("relative weights, one per value (default: equal)",
                                                non_negative("a weight", 1e12), 1))}}});
  node.kind = Node::Kind::number_or_tagged;
  node.number = non_negative("a fixed value", maximum);
  return make(std::move(node));
}

NodePtr point_properties_object(std::string description, std::vector<Property> extra) {
  std::vector<Property> properties{required("x_km", coordinate("km east of the city's origin")),
                                   required("y_km", coordinate("km north of the city's origin"))};
  properties.insert(properties.end(), extra.begin(), extra.end());
  return object(std::move(description), std::move(properties));
}

NodePtr hourly_profile() {
  return array("24 multipliers of the rate, hour 0 (midnight) first", non_negative("a multiplier", max_multiplier),
               24);
}

NodePtr supply() {
  return make(tagged(
      "how the station is resupplied (default: unlimited without storage, none with it)", "model",
      {{"unlimited", {}},
       {"none", {}},
       {"delivery",
        {required("payload_kg", number("hydrogen a tube trailer brings", 1.0, {}, {}, max_kg)),
         required("reorder_at_kg",
                  non_negative("order a trailer when the stock (less what queued vehicles will "
                               "take, plus what is on order) falls to this",
                               max_kg)),
         required("lead_time_h",
                  distribution("hours from order to delivery (with a depot: loading time there, "
                               "after waiting for a trailer and before the drive)",
                               max_hours)),
         optional("depot", text("id of the trailer depot in /depots (default: trailers are "
                                "always available)"))}},
       {"pipeline",
        {required("pipeline", text("id of the pipeline in /pipelines")),
         required("max_rate_kg_per_h", positive("the most this station can draw", max_rate))}},
       {"onsite",
        {required("rate_kg_per_h", non_negative("production rate of the electrolyser", max_rate)),
         optional("hourly_profile", hourly_profile()),
         optional("kwh_per_kg", non_negative("electricity per kg produced (default 0)", 1e3))}}}));
}

NodePtr station() {
  std::vector<Property> properties{
      required("id", nonempty("unique id of the station")),
      optional("name", text("a human-readable name")),
      required("x_km", coordinate("km east of the city's origin")),
      required("y_km", coordinate("km north of the city's origin")),
      required("dispensers", integer("dispensing positions, each filling one vehicle at a time", 1, 1000)),
      required("fill_rate_kg_per_min", number("hydrogen flow of a fill", 0.001, {}, {}, 1e3)),
      optional("overhead_min", non_negative("minutes to connect and disconnect (default 0)", 1440)),
      optional("queue_capacity",
               integer("most vehicles that may wait, not counting those being filled (default "
                       "unlimited); an arrival that finds it full balks",
                       0)),
      optional("arrivals_per_h",
               non_negative("this station's Poisson rate, overriding demand.arrivals_per_h", 1e4)),
      optional("storage",
               object("on-site hydrogen storage (absent: unlimited hydrogen)",
                      {required("capacity_kg", non_negative("capacity", max_kg)),
                       required("initial_kg",
                                non_negative("level at the start, <= capacity_kg", max_kg))})),
      optional("supply", supply()),
      optional("availability",
               object("when the station can serve (default: always); vehicles arriving while it "
                      "is closed go elsewhere (diverted_closed)",
                      {optional("hours", array("opening hours [open_h, close_h] every day, "
                                               "e.g. [6, 22] (default [0, 24])",
                                               hour_of_day(), 2)),
                       optional("outages",
                                object("random breakdowns",
                                       {required("mtbf_h", distribution("hours between breakdowns", max_hours)),
                                        required("repair_h", distribution("hours to repair", max_hours))})),
                       optional("maintenance",
                                array("planned closures",
                                      object("a maintenance window",
                                             {required("start_day", non_negative("day, 0 = first", 36500)),
                                              required("start_h", number("hour of that day", 0.0, {}, 24.0)),
                                              required("hours", positive("how long", max_hours))}),
                                      0))})),
      optional("pressures", array("pressure classes it can fill (default both)",
                                  one_of("a pressure class", {"H35", "H70"}), 1)),
      optional("buffer",
               object("high-pressure buffer limiting back-to-back fills (CSA HGV 4.9); fills "
                      "draw from it at the fill rate, then at what the compressor delivers",
                      {required("capacity_kg", positive("hydrogen the buffer holds, full at the start", max_kg)),
                       required("compressor_kg_per_h",
                                positive("compressor refilling it, shared by the fills once it "
                                         "is empty",
                                         max_rate))}))};
  return object("a station, in build-priority order", std::move(properties));
}

NodePtr driver(bool fleet) {
  std::vector<Property> properties{
      optional("balk_if_waiting_over",
               integer("a driver who sees more vehicles waiting than this does not join", 0)),
      optional("patience_min",
               distribution("minutes a driver waits before leaving the queue (reneging)", max_minutes))};
  if (fleet) {
    properties.push_back(optional(
        "max_tries", integer("stations tried in a round before the last-try rule applies "
                             "(default: every station)",
                             1)));
    properties.push_back(optional(
        "after_last_try",
        one_of("at the last of max_tries stations: wait (queue however long, the default) or "
               "leave (balk and renege as anywhere; if not served, give up: gave_up, and try "
               "again 30 minutes later)",
               {"wait", "leave"})));
  }
  return object("how drivers react to a queue (default: they join any queue and wait)",
                std::move(properties));
}

NodePtr vehicle_class() {
  return object(
      "a class of vehicles of the fleet",
      {required("name", nonempty("unique name of the class")),
       required("count", integer("vehicles in the class", 1)),
       required("tank_kg", positive("usable tank capacity", max_fill_kg)),
       required("consumption_kg_per_100km", number("hydrogen used per 100 km", 0.001, {}, {}, 1e3)),
       required("daily_km", distribution("km driven per day (drawn once per vehicle)", 1e4)),
       required("refuel_at_fraction",
                distribution("tank fraction at which the driver heads for a station, below 1 "
                             "(a distribution: drawn per refuelling)",
                             1)),
       optional("shift",
                object("daily driving hours (default: around the clock); demand follows the clock",
                       {required("start_h", number("hour the shift starts", 0.0, {}, 24.0)),
                        required("hours", positive("hours it lasts, at most 24", 24))})),
       required("speed_kmh", positive("average speed on the way to a station", 1e3)),
       required("area", point_properties_object(
                            "operating area: a disc where the vehicles decide to refuel",
                            {required("radius_km", non_negative("radius of the disc", max_km))})),
       optional("driver", driver(true)),
       optional("pressure", one_of("tank pressure: only stations that fill it are used (default: any)",
                                   {"H35", "H70"})),
       optional("choice",
                object("how a driver picks a station (default: the nearest)",
                       {required("policy",
                                 one_of("nearest: shortest drive; least_delay: drive time plus "
                                        "the wait expected from the queue in sight; depot: the "
                                        "home station first, then the nearest",
                                        {"nearest", "least_delay", "depot"})),
                        optional("max_detour_km",
                                 positive("stations farther than this (road km) are not "
                                          "considered, unless none is nearer",
                                          max_km)),
                        optional("home_station", text("id of the home station (policy depot)"))}))});
}

NodePtr demand() {
  return make(tagged(
      "where vehicles come from", "model",
      {{"poisson",
        {required("arrivals_per_h", non_negative("arrival rate at every open station", 1e4)),
         required("kg_per_fill", distribution("hydrogen per fill, kg", max_fill_kg)),
         optional("hourly_profile", hourly_profile()),
         optional("driver", driver(false))}},
       {"trace",
        {required("file",
                  nonempty("CSV of refuelling requests, relative to the scenario file: a header "
                           "naming time_h or time_min, kg, and station (an id) or x_km and y_km "
                           "(the nearest open station); optional vehicle. RFC 4180 (quotes, "
                           "CRLF, a byte-order mark are fine), at most 1 GiB and 10 million "
                           "rows"))}},
       {"fleet",
        {optional("road_factor",
                  number("road km per straight-line km (default 1)", 1.0, {}, {}, 10.0)),
         required("classes", array("vehicle classes", vehicle_class(), 1))}}}));
}

NodePtr build_scenario_schema() {
  return object(
      "An h2sim scenario: hydrogen refuelling stations and the vehicles that use them.",
      {required("name", text("name of the scenario, copied to the metrics")),
       optional("description", text("what the scenario represents and where its figures come from")),
       optional("seed", integer("master seed of every random stream (default 1)", 0, max_seed)),
       required("horizon_days", days("measured simulated days, after the warm-up", false)),
       optional("warmup_days", days("simulated days before measuring (default 0)", true)),
       optional("replications", integer("independent replications (default 1)", 1, 10000)),
       optional("open_stations",
                integer("only the first N stations are open (default all)", 1)),
       required("stations", array("the stations, in build-priority order", station(), 1)),
       optional("pipelines",
                array("pipelines that stations with supply model pipeline draw from",
                      object("a pipeline", {required("id", nonempty("unique id")),
                                            required("capacity_kg_per_h",
                                                     positive("shared capacity", max_rate))}),
                      0)),
       optional("depots",
                array("depots of tube trailers shared by the stations that order from them",
                      point_properties_object(
                          "a depot",
                          {required("id", nonempty("unique id")),
                           required("trailers", integer("tube trailers", 1)),
                           required("speed_kmh", positive("trailer speed", 1e3)),
                           optional("road_factor",
                                    number("road km per straight-line km (default 1)", 1.0, {},
                                           {}, 10.0))}),
                      0)),
       required("demand", demand()),
       optional("service",
                object("how fills are timed",
                       {optional("fill_time_min",
                                 distribution("fill time in minutes, replacing overhead_min + "
                                              "kg / fill_rate_kg_per_min",
                                              max_minutes))}))});
}

} // namespace

const Node& scenario_schema() {
  static const NodePtr schema = build_scenario_schema();
  return *schema;
}

} // namespace h2sim::scenario
