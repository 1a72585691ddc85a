#include <h2sim/h2sim.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "message.hpp"
#include "schema.hpp"
#include "trace_csv.hpp"

namespace h2sim {

using nlohmann::json;

ScenarioError::ScenarioError(std::vector<Problem> problems)
    : std::runtime_error(problems.empty() ? "invalid scenario"
                                          : problems.front().pointer + ": " +
                                                problems.front().message),
      problems_(std::move(problems)) {}

namespace {

std::string position(std::string_view text, std::size_t byte) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < std::min(byte, text.size()); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/**
 * The parser's explanation from `what` (after its "...: " prefix), with the input it quotes
 * ("last read: '...'", "parsing '...'") cut to its last few bytes: that input can be a whole
 * megabyte-long string or number, and it need not be UTF-8.
 */
std::string parser_detail(const std::string& what, char prefix_end) {
  const std::size_t colon = what.find(prefix_end);
  std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
  for (const char* opening : {"last read: '", "parsing '"}) {
    const std::size_t start = detail.find(opening);
    if (start == std::string::npos) {
      continue;
    }
    const std::size_t from = start + std::string_view(opening).size();
    // The quoted input ends at the last quote before "; expected ..." (if any): it may hold quotes.
    const std::size_t expected = detail.rfind("'; expected ");
    const std::size_t to = expected != std::string::npos && expected >= from ? expected
                                                                             : detail.rfind('\'');
    if (to != std::string::npos && to >= from) {
      detail.replace(from, to - from, scenario::brief_tail({detail.data() + from, to - from}));
    }
    break;
  }
  return scenario::valid_utf8(detail);
}

/** Scenario documents (and --set values) nest no deeper than this: see parse_json. */
constexpr std::size_t max_depth = 64;

/** Thrown by parse_json when the text is not JSON; `message` says where and why. */
struct NotJson {
  std::string message;
};

/** Thrown by parse_json at the first array or object nested deeper than max_depth. */
struct TooDeep {
  std::string pointer;
};

/**
 * Builds the document from the parser's SAX events, reporting keys that appear twice in one object
 * (the parser would keep the last one silently, hiding an edit that did not take effect) and
 * stopping at the first array or object nested deeper than max_depth.
 *
 * Not nlohmann's callback parser: it scans the whole enclosing container at every object's end
 * (for values its callback discarded), which made an array of 20,000 stations take minutes.
 */
class DocumentBuilder {
public:
  DocumentBuilder(json& root, std::string at, std::vector<Problem>& problems)
      : root_(&root), at_(std::move(at)), problems_(&problems) {}

  bool null() { return add(nullptr); }
  bool boolean(bool value) { return add(value); }
  bool number_integer(json::number_integer_t value) { return add(value); }
  bool number_unsigned(json::number_unsigned_t value) { return add(value); }
  bool number_float(json::number_float_t value, const json::string_t&) { return add(value); }
  bool string(json::string_t& value) { return add(std::move(value)); }
  bool binary(json::binary_t& value) { return add(json::binary(std::move(value))); }
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool key(json::string_t& key) {
    Frame& frame = frames_.back();
    frame.token = key;
    if (frame.value->contains(key)) {
      problems_->push_back({pointer(), "duplicate key (only one of them would count)"});
    }
    member_ =
        &(*frame.value)[key]; // null until its value comes; a repeated key's value is replaced
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& error) {
    throw error;
  }

private:
  struct Frame {
    json* value;
    std::string token;     // the current key of an object
    std::size_t index = 0; // the current index of an array
  };

  /** The pointer of the value being read. */
  std::string pointer() const {
    std::string path = at_;
    for (const Frame& frame : frames_) {
      path += "/" + (frame.value->is_object() ? frame.token : std::to_string(frame.index));
    }
    return path;
  }

  /** Puts `value` where the next value goes and returns where it is now. */
  json* place(json&& value) {
    if (frames_.empty()) {
      *root_ = std::move(value);
      return root_;
    }
    json& container = *frames_.back().value;
    if (container.is_array()) {
      container.push_back(std::move(value));
      return &container.back();
    }
    *member_ = std::move(value);
    return member_;
  }

  bool add(json&& value) {
    place(std::move(value));
    next();
    return true;
  }

  bool open(json&& container) {
    if (frames_.size() == max_depth) {
      throw TooDeep{pointer()}; // the pointer of the value that would be one level too deep
    }
    // Pointers to elements stay valid: an array grows only while it is the innermost frame.
    frames_.push_back(Frame{place(std::move(container)), {}, 0});
    return true;
  }

  bool close() {
    frames_.pop_back();
    next();
    return true;
  }

  /** After a value: the next one in an array has the next index. */
  void next() {
    if (!frames_.empty() && frames_.back().value->is_array()) {
      ++frames_.back().index;
    }
  }

  json* root_;
  std::string at_;
  std::vector<Problem>* problems_;
  std::vector<Frame> frames_;
  json* member_ = nullptr;
};

/**
 * Parses JSON (see DocumentBuilder); `at` is the pointer of the text's value.
 *
 * Nesting is limited to max_depth (the deepest scenario value is about 8 levels): the parser
 * itself is iterative, but serialising, copying and comparing a value recurse, so an 80,000-level
 * array in a file of 160 KB would overflow the stack wherever it is later looked at.
 */
json parse_json(std::string_view text, const std::string& at, std::vector<Problem>& problems) {
  // The parser takes a NUL outside a string for the end of the text, so `{...}<NUL>junk` would
  // load; no JSON text holds a NUL byte.
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    throw NotJson{"not valid JSON at " + position(text, nul) +
                  ": a NUL byte (JSON text cannot contain one)"};
  }
  json document;
  DocumentBuilder builder(document, at, problems);
  try {
    json::sax_parse(text, &builder);
  } catch (const json::out_of_range& e) {
    throw NotJson{"a number is out of range: " + parser_detail(e.what(), ']')};
  } catch (const json::parse_error& e) {
    // e.byte is one past the offending character.
    throw NotJson{"not valid JSON at " + position(text, e.byte > 0 ? e.byte - 1 : 0) + ": " +
                  parser_detail(e.what(), ':')};
  }
  return document;
}

std::string too_deep() { return "nested deeper than " + std::to_string(max_depth) + " levels"; }

/** Turns a dotted path (stations.0.dispensers) into a JSON pointer; pointers pass unchanged. */
std::string to_pointer(const std::string& path) {
  if (path.empty() || path.front() == '/') {
    return path;
  }
  std::string pointer = "/";
  for (char c : path) {
    pointer += c == '.' ? std::string("/") : c == '~' ? std::string("~0") : std::string(1, c);
  }
  return pointer;
}

void apply_override(json& document, const Override& override, std::vector<Problem>& problems) {
  const std::string pointer = to_pointer(override.path);
  // The value is quoted briefly (it may be any size); the path may be any bytes, the message is
  // UTF-8.
  const std::string where =
      "--set " + scenario::valid_utf8(override.path) + "=" + scenario::brief_text(override.value);
  json value;
  try {
    value = parse_json(override.value, pointer, problems);
  } catch (const NotJson&) {
    value = override.value; // not JSON (or a number out of range): taken as a string
  } catch (const TooDeep& error) {
    problems.push_back({error.pointer, where + ": " + too_deep()});
    return;
  }
  try {
    (void)value.dump();
  } catch (const json::type_error&) {
    problems.push_back({"", where + ": not valid UTF-8"});
    return;
  }
  try {
    const json::json_pointer target(pointer);
    if (target.empty()) {
      problems.push_back({"", where + ": cannot replace the whole scenario"});
      return;
    }
    const json::json_pointer parent = target.parent_pointer();
    if (!document.contains(parent)) {
      problems.push_back({parent.to_string(), where + ": no such value to set a key of"});
      return;
    }
    json& container = document.at(parent);
    if (container.is_array()) {
      const std::string& last = target.back();
      const bool index = !last.empty() && last.size() < 10 &&
                         std::all_of(last.begin(), last.end(),
                                     [](char c) { return c >= '0' && c <= '9'; });
      if (!index || std::stoul(last) >= container.size()) {
        problems.push_back({pointer, where + ": index out of range (the array has " +
                                         std::to_string(container.size()) + " items)"});
        return;
      }
    } else if (!container.is_object()) {
      problems.push_back({parent.to_string(), where + ": not an object or array"});
      return;
    }
    document[target] = std::move(value);
  } catch (const json::exception& e) {
    problems.push_back({"", where + ": bad path (" + scenario::valid_utf8(e.what()) + ")"});
  }
}

Distribution distribution(const json& value) {
  if (value.is_number()) {
    return Distribution::fixed(value.get<double>());
  }
  const std::string kind = value.at("dist").get<std::string>();
  if (kind == "fixed") {
    return Distribution::fixed(value.at("value").get<double>());
  }
  if (kind == "exponential") {
    return Distribution::exponential(value.at("mean").get<double>());
  }
  if (kind == "uniform") {
    return Distribution::uniform(value.at("min").get<double>(), value.at("max").get<double>());
  }
  if (kind == "normal") {
    return Distribution::normal(value.at("mean").get<double>(), value.at("sd").get<double>());
  }
  if (kind == "lognormal") {
    return Distribution::lognormal(value.at("mean").get<double>(), value.at("sd").get<double>());
  }
  if (kind == "gamma") {
    return Distribution::gamma(value.at("mean").get<double>(), value.at("sd").get<double>());
  }
  return Distribution::empirical(value.at("values").get<std::vector<double>>(),
                                 value.value("weights", std::vector<double>{}));
}

// The relation checks run even when the schema found problems (so that every problem is reported
// at once): they look only at values of the right type and skip the rest.
const json* member(const json& object, const char* key) {
  if (!object.is_object()) {
    return nullptr;
  }
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}
std::optional<double> number_at(const json& object, const char* key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_number() ? std::optional(value->get<double>()) : std::nullopt;
}
std::optional<std::string> string_at(const json& object, const char* key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_string() ? std::optional(value->get<std::string>())
                                                : std::nullopt;
}

/** Rules the schema cannot say: relations between values of a distribution. */
void check_distribution(const json* value, const std::string& pointer,
                        const std::set<std::string>& flagged, std::vector<Problem>& problems) {
  if (value == nullptr) {
    return;
  }
  const auto kind = string_at(*value, "dist");
  const auto min = number_at(*value, "min");
  const auto max = number_at(*value, "max");
  if (kind == "uniform" && min && max && *min > *max) {
    problems.push_back({pointer + "/max", "must be >= min"});
  }
  // Lognormal and gamma are given by mean and sd; far outside these ratios their parameters
  // overflow (sd 1e160) or sampling cannot end (a gamma of shape 1e320).
  const auto mean = number_at(*value, "mean");
  const auto sd = number_at(*value, "sd");
  const bool sd_in_range = flagged.count(pointer + "/sd") == 0;
  if ((kind == "lognormal" || kind == "gamma") && mean && sd && *mean > 0 && sd_in_range) {
    if (*sd > 1e3 * *mean) {
      problems.push_back({pointer + "/sd", "must be <= 1000 x mean (a " + *kind +
                                               " this skewed cannot be sampled meaningfully)"});
    } else if (kind == "gamma" && *sd < 1e-6 * *mean) {
      problems.push_back({pointer + "/sd", "must be >= 0.000001 x mean (use a fixed value)"});
    }
  }
  const json* values = member(*value, "values");
  const json* weights = member(*value, "weights");
  if (kind == "empirical" && values != nullptr && weights != nullptr && values->is_array() &&
      weights->is_array()) {
    if (weights->size() != values->size()) {
      problems.push_back({pointer + "/weights", "must have one weight per value (" +
                                                    std::to_string(values->size()) + ")"});
    } else if (std::none_of(weights->begin(), weights->end(),
                            [](const json& w) { return w.is_number() && w.get<double>() > 0; })) {
      problems.push_back({pointer + "/weights", "must have at least one weight > 0"});
    }
  }
}

/** An hourly profile has one multiplier per hour of the day. */
void check_profile(const json* profile, const std::string& pointer, std::vector<Problem>& problems) {
  if (profile != nullptr && profile->is_array() && profile->size() != 24) {
    problems.push_back({pointer, "must have 24 values (one per hour)"});
  }
}

/** Ids (or names) in `list` must be unique: each repeat is reported where it stands. */
void check_unique(const json* list, const char* key, const std::string& pointer,
                  std::vector<Problem>& problems) {
  if (list == nullptr || !list->is_array()) {
    return;
  }
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto name = string_at((*list)[i], key);
    if (!name) {
      continue;
    }
    const auto [it, inserted] = seen.emplace(*name, i);
    if (!inserted) {
      problems.push_back({pointer + "/" + std::to_string(i) + "/" + key,
                          std::string("duplicate ") + key + " \"" + *name + "\" (also " + pointer +
                              "/" + std::to_string(it->second) + "/" + key + ")"});
    }
  }
}

/** The most vehicles a fleet may have: each is a few dozen bytes of state. */
constexpr double max_vehicles = 1e7;

void check_relations(const json& document, std::vector<Problem>& problems) {
  // Where the schema found problems (the checks below skip values it refused): a set, looked up
  // per station and per distribution, not a scan of the list each time (20,000 stations took
  // minutes). The checks add none at a /supply/model or a distribution's /sd before reading it.
  std::set<std::string> flagged;
  for (const Problem& problem : problems) {
    flagged.insert(problem.pointer);
  }
  const json* stations = member(document, "stations");
  check_unique(stations, "id", "/stations", problems);
  check_unique(member(document, "pipelines"), "id", "/pipelines", problems);
  check_unique(member(document, "depots"), "id", "/depots", problems);
  if (stations != nullptr && stations->is_array()) {
    for (std::size_t i = 0; i < stations->size(); ++i) {
      const json* storage = member((*stations)[i], "storage");
      if (storage == nullptr) {
        continue;
      }
      const auto initial = number_at(*storage, "initial_kg");
      const auto capacity = number_at(*storage, "capacity_kg");
      if (initial && capacity && *initial > *capacity) {
        problems.push_back(
            {"/stations/" + std::to_string(i) + "/storage/initial_kg", "must be <= capacity_kg"});
      }
    }
    const auto ids = [&](const char* key) {
      std::set<std::string> found;
      if (const json* list = member(document, key); list != nullptr && list->is_array()) {
        for (const json& item : *list) {
          if (const auto id = string_at(item, "id")) {
            found.insert(*id);
          }
        }
      }
      return found;
    };
    const std::set<std::string> pipelines = ids("pipelines");
    const std::set<std::string> depots = ids("depots");
    for (std::size_t i = 0; i < stations->size(); ++i) {
      const std::string pointer = "/stations/" + std::to_string(i);
      if (const json* availability = member((*stations)[i], "availability")) {
        const json* hours = member(*availability, "hours");
        if (hours != nullptr && hours->is_array() &&
            (hours->size() != 2 ||
             !std::all_of(hours->begin(), hours->end(), [](const json& h) { return h.is_number(); }) ||
             (*hours)[0].get<double>() >= (*hours)[1].get<double>())) {
          problems.push_back({pointer + "/availability/hours", "must be [open_h, close_h] with open_h < close_h"});
        }
        if (const json* outages = member(*availability, "outages")) {
          check_distribution(member(*outages, "mtbf_h"), pointer + "/availability/outages/mtbf_h",
                             flagged, problems);
          check_distribution(member(*outages, "repair_h"), pointer + "/availability/outages/repair_h",
                             flagged, problems);
          const json* mtbf = member(*outages, "mtbf_h");
          if (mtbf != nullptr && mtbf->is_number() && mtbf->get<double>() <= 0) {
            problems.push_back({pointer + "/availability/outages/mtbf_h", "must be > 0"});
          }
        }
      }
      const json* supply = member((*stations)[i], "supply");
      const auto model = supply != nullptr ? string_at(*supply, "model") : std::nullopt;
      const json* storage = member((*stations)[i], "storage");
      const bool known_model = flagged.count(pointer + "/supply/model") == 0;
      if (model && known_model && *model != "unlimited" && storage == nullptr) {
        problems.push_back({pointer + "/storage", "is required with supply model " + *model});
      }
      if (model == "pipeline") {
        const auto id = string_at(*supply, "pipeline");
        if (id && pipelines.count(*id) == 0) {
          problems.push_back({pointer + "/supply/pipeline",
                              "no pipeline \"" + *id + "\" in /pipelines"});
        }
      }
      if (model == "onsite") {
        check_profile(member(*supply, "hourly_profile"), pointer + "/supply/hourly_profile",
                      problems);
      }
      if (model == "delivery") {
        const auto depot = string_at(*supply, "depot");
        if (depot && depots.count(*depot) == 0) {
          problems.push_back({pointer + "/supply/depot", "no depot \"" + *depot + "\" in /depots"});
        }
        check_distribution(member(*supply, "lead_time_h"), pointer + "/supply/lead_time_h",
                           flagged, problems);
        const auto reorder = number_at(*supply, "reorder_at_kg");
        const auto capacity = storage != nullptr ? number_at(*storage, "capacity_kg") : std::nullopt;
        if (reorder && capacity && *reorder >= *capacity) {
          problems.push_back({pointer + "/supply/reorder_at_kg", "must be < storage.capacity_kg"});
        }
        // An order covers at most what the storage holds, so one look at the stock orders at most
        // about a thousand trailers.
        const auto payload = number_at(*supply, "payload_kg");
        if (payload && capacity && *payload >= 1 && *payload < *capacity / 1000) {
          problems.push_back({pointer + "/supply/payload_kg",
                              "must be >= storage.capacity_kg / 1000 (at most 1000 trailers on "
                              "order for one station)"});
        }
      }
    }
    const auto open = number_at(document, "open_stations");
    if (open && *open > static_cast<double>(stations->size())) {
      problems.push_back({"/open_stations", "must be <= " + std::to_string(stations->size()) +
                                                ", the number of stations"});
    }
  }
  if (const json* demand = member(document, "demand")) {
    check_distribution(member(*demand, "kg_per_fill"), "/demand/kg_per_fill", flagged, problems);
    check_profile(member(*demand, "hourly_profile"), "/demand/hourly_profile", problems);
    if (const json* behaviour = member(*demand, "driver")) {
      check_distribution(member(*behaviour, "patience_min"), "/demand/driver/patience_min",
                         flagged, problems);
    }
    const json* classes = member(*demand, "classes");
    check_unique(classes, "name", "/demand/classes", problems);
    // Station ids and the pressures stations fill, once, not per class (20,000 of each took
    // minutes). A station without a list of pressures fills any.
    std::set<std::string> station_ids;
    std::set<std::string> filled_pressures;
    bool some_station_fills_any = false;
    if (stations != nullptr && stations->is_array()) {
      for (const json& station : *stations) {
        if (const auto id = string_at(station, "id")) {
          station_ids.insert(*id);
        }
        const json* pressures = member(station, "pressures");
        if (pressures == nullptr || !pressures->is_array()) {
          some_station_fills_any = true;
          continue;
        }
        for (const json& pressure : *pressures) {
          if (pressure.is_string()) {
            filled_pressures.insert(pressure.get<std::string>());
          }
        }
      }
    }
    if (classes != nullptr && classes->is_array()) {
      double vehicles = 0;
      for (const json& vc : *classes) {
        vehicles += number_at(vc, "count").value_or(0);
      }
      if (vehicles > max_vehicles) {
        problems.push_back({"/demand/classes", "the fleet has " + std::to_string(static_cast<long long>(vehicles)) +
                                                   " vehicles, more than 10000000"});
      }
      for (std::size_t i = 0; i < classes->size(); ++i) {
        check_distribution(member((*classes)[i], "daily_km"),
                           "/demand/classes/" + std::to_string(i) + "/daily_km", flagged, problems);
      const std::string class_at = "/demand/classes/" + std::to_string(i);
      const auto fraction = number_at((*classes)[i], "refuel_at_fraction");
      if (fraction && *fraction >= 1) {
        problems.push_back({class_at + "/refuel_at_fraction", "must be < 1"});
      }
      check_distribution(member((*classes)[i], "refuel_at_fraction"), class_at + "/refuel_at_fraction",
                         flagged, problems);
      if (const json* shift = member((*classes)[i], "shift")) {
        const auto hours = number_at(*shift, "hours");
        if (hours && *hours > 24) {
          problems.push_back({class_at + "/shift/hours", "must be <= 24"});
        }
      }
      if (const auto pressure = string_at((*classes)[i], "pressure");
          pressure && stations != nullptr && stations->is_array() && !some_station_fills_any &&
          filled_pressures.count(*pressure) == 0) {
        problems.push_back({class_at + "/pressure",
                            "no station fills " + *pressure + ": the class could never refuel"});
      }
      if (const json* choice = member((*classes)[i], "choice")) {
        const std::string at = "/demand/classes/" + std::to_string(i) + "/choice";
        const auto home = string_at(*choice, "home_station");
        if (home && station_ids.count(*home) == 0) {
          problems.push_back({at + "/home_station", "no station \"" + *home + "\" in /stations"});
        }
        if (string_at(*choice, "policy") == "depot" && !home) {
          problems.push_back({at + "/home_station", "is required with policy depot"});
        }
      }
      if (const json* behaviour = member((*classes)[i], "driver")) {
        check_distribution(member(*behaviour, "patience_min"),
                           "/demand/classes/" + std::to_string(i) + "/driver/patience_min",
                           flagged, problems);
      }
      }
    }
  }
  if (const json* service = member(document, "service")) {
    check_distribution(member(*service, "fill_time_min"), "/service/fill_time_min",
                       flagged, problems);
  }
}

Point point(const json& value) { return {value.at("x_km").get<double>(), value.at("y_km").get<double>()}; }

DriverSpec driver(const json& parent) {
  DriverSpec spec;
  if (!parent.contains("driver")) {
    return spec;
  }
  const json& value = parent.at("driver");
  if (value.contains("balk_if_waiting_over")) {
    spec.balk_if_waiting_over = static_cast<int>(value.at("balk_if_waiting_over").get<double>());
  }
  if (value.contains("patience_min")) {
    spec.patience_min = distribution(value.at("patience_min"));
  }
  spec.max_tries = static_cast<int>(value.value("max_tries", 0.0));
  if (value.value("after_last_try", "wait") == "leave") {
    spec.after_last_try = AfterLastTry::leave;
  }
  return spec;
}

SupplySpec supply(const json& station, const std::map<std::string, std::size_t>& pipelines,
                  const std::map<std::string, std::size_t>& depots) {
  if (!station.contains("supply")) {
    return station.contains("storage") ? SupplySpec{NoSupply{}} : SupplySpec{UnlimitedSupply{}};
  }
  const json& value = station.at("supply");
  const std::string model = value.at("model").get<std::string>();
  if (model == "none") {
    return NoSupply{};
  }
  if (model == "delivery") {
    DeliverySupply delivery{value.at("payload_kg").get<double>(),
                            value.at("reorder_at_kg").get<double>(),
                            distribution(value.at("lead_time_h")), std::nullopt};
    if (value.contains("depot")) {
      delivery.depot = depots.at(value.at("depot").get<std::string>());
    }
    return delivery;
  }
  if (model == "pipeline") {
    const std::string id = value.at("pipeline").get<std::string>();
    return PipelineSupply{id, pipelines.at(id), value.at("max_rate_kg_per_h").get<double>()};
  }
  if (model == "onsite") {
    return OnsiteSupply{value.at("rate_kg_per_h").get<double>(),
                        value.value("hourly_profile", std::vector<double>{}),
                        value.value("kwh_per_kg", 0.0)};
  }
  return UnlimitedSupply{};
}

Scenario build(const json& document) {
  Scenario scenario;
  std::map<std::string, std::size_t> pipeline_index;
  for (const json& value : document.value("pipelines", json::array())) {
    pipeline_index.emplace(value.at("id").get<std::string>(), scenario.pipelines.size());
    scenario.pipelines.push_back(
        PipelineSpec{value.at("id").get<std::string>(), value.at("capacity_kg_per_h").get<double>()});
  }
  std::map<std::string, std::size_t> depot_index;
  for (const json& value : document.value("depots", json::array())) {
    depot_index.emplace(value.at("id").get<std::string>(), scenario.depots.size());
    scenario.depots.push_back(DepotSpec{value.at("id").get<std::string>(), point(value),
                                        static_cast<int>(value.at("trailers").get<double>()),
                                        value.at("speed_kmh").get<double>(),
                                        value.value("road_factor", 1.0)});
  }
  scenario.name = document.at("name").get<std::string>();
  scenario.description = document.value("description", "");
  scenario.seed = document.value("seed", std::uint64_t{1});
  scenario.horizon_days = document.at("horizon_days").get<double>();
  scenario.warmup_days = document.value("warmup_days", 0.0);
  scenario.replications = static_cast<int>(document.value("replications", 1.0));
  for (const json& value : document.at("stations")) {
    StationSpec station;
    station.id = value.at("id").get<std::string>();
    station.name = value.value("name", "");
    station.location = point(value);
    station.dispensers = static_cast<int>(value.at("dispensers").get<double>());
    station.fill_rate_kg_per_min = value.at("fill_rate_kg_per_min").get<double>();
    station.overhead_min = value.value("overhead_min", 0.0);
    if (value.contains("queue_capacity")) {
      station.queue_capacity = static_cast<int>(value.at("queue_capacity").get<double>());
    }
    if (value.contains("arrivals_per_h")) {
      station.arrivals_per_h = value.at("arrivals_per_h").get<double>();
    }
    if (value.contains("storage")) {
      station.storage = StorageSpec{value.at("storage").at("capacity_kg").get<double>(),
                                    value.at("storage").at("initial_kg").get<double>()};
    }
    station.supply = supply(value, pipeline_index, depot_index);
    if (value.contains("availability")) {
      const json& availability = value.at("availability");
      AvailabilitySpec spec;
      if (availability.contains("hours")) {
        spec.open_h = availability.at("hours").at(0).get<double>();
        spec.close_h = availability.at("hours").at(1).get<double>();
      }
      if (availability.contains("outages")) {
        spec.mtbf_h = distribution(availability.at("outages").at("mtbf_h"));
        spec.repair_h = distribution(availability.at("outages").at("repair_h"));
      }
      for (const json& window : availability.value("maintenance", json::array())) {
        spec.maintenance.push_back(MaintenanceWindow{window.at("start_day").get<double>(),
                                                     window.at("start_h").get<double>(),
                                                     window.at("hours").get<double>()});
      }
      station.availability = std::move(spec);
    }
    if (value.contains("pressures")) {
      station.pressures = value.at("pressures").get<std::vector<std::string>>();
    }
    if (value.contains("buffer")) {
      station.buffer = BufferSpec{value.at("buffer").at("capacity_kg").get<double>(),
                                  value.at("buffer").at("compressor_kg_per_h").get<double>()};
    }
    scenario.stations.push_back(std::move(station));
  }
  scenario.open_stations = document.contains("open_stations")
                               ? static_cast<std::size_t>(document.at("open_stations").get<double>())
                               : scenario.stations.size();
  const json& demand = document.at("demand");
  if (demand.at("model") == "trace") {
    scenario.demand = TraceDemand{demand.at("file").get<std::string>(), {}};
  } else if (demand.at("model") == "poisson") {
    scenario.demand = PoissonDemand{demand.at("arrivals_per_h").get<double>(),
                                    distribution(demand.at("kg_per_fill")),
                                    demand.value("hourly_profile", std::vector<double>{}),
                                    driver(demand)};
  } else {
    FleetDemand fleet;
    fleet.road_factor = demand.value("road_factor", 1.0);
    for (const json& value : demand.at("classes")) {
      VehicleClass vc;
      vc.name = value.at("name").get<std::string>();
      vc.count = static_cast<int>(value.at("count").get<double>());
      vc.tank_kg = value.at("tank_kg").get<double>();
      vc.consumption_kg_per_100km = value.at("consumption_kg_per_100km").get<double>();
      vc.daily_km = distribution(value.at("daily_km"));
      vc.refuel_at_fraction = distribution(value.at("refuel_at_fraction"));
      if (value.contains("shift")) {
        vc.shift = Shift{value.at("shift").at("start_h").get<double>(),
                         value.at("shift").at("hours").get<double>()};
      }
      vc.speed_kmh = value.at("speed_kmh").get<double>();
      vc.area = Area{point(value.at("area")), value.at("area").at("radius_km").get<double>()};
      vc.driver = driver(value);
      vc.pressure = value.value("pressure", "");
      if (value.contains("choice")) {
        const json& choice = value.at("choice");
        vc.choice = choice.at("policy").get<std::string>();
        vc.max_detour_km = choice.value("max_detour_km", static_cast<double>(INFINITY));
        if (choice.contains("home_station")) {
          const std::string home = choice.at("home_station").get<std::string>();
          for (std::size_t i = 0; i < scenario.stations.size(); ++i) {
            if (scenario.stations[i].id == home) {
              vc.home_station = i;
            }
          }
        }
      }
      fleet.classes.push_back(std::move(vc));
    }
    scenario.demand = std::move(fleet);
  }
  if (document.contains("service") && document.at("service").contains("fill_time_min")) {
    scenario.fill_time_min = distribution(document.at("service").at("fill_time_min"));
  }
  return scenario;
}

/**
 * What is legal but probably not meant, in the scenario as it will run (overrides applied, only
 * the open stations): fleets that cannot reach or use the stations they have.
 */
std::vector<Warning> warnings(const Scenario& scenario) {
  std::vector<Warning> found;
  const auto* fleet = std::get_if<FleetDemand>(&scenario.demand);
  if (fleet == nullptr) {
    return found;
  }
  for (std::size_t c = 0; c < fleet->classes.size(); ++c) {
    const VehicleClass& vc = fleet->classes[c];
    const std::string at = "/demand/classes/" + std::to_string(c);
    const auto fills = [&](const StationSpec& station) {
      return vc.pressure.empty() || std::find(station.pressures.begin(), station.pressures.end(),
                                              vc.pressure) != station.pressures.end();
    };
    double nearest_km = INFINITY;
    for (std::size_t s = 0; s < scenario.open_stations; ++s) {
      const StationSpec& station = scenario.stations[s];
      if (!fills(station)) {
        continue;
      }
      nearest_km = std::min(nearest_km, std::hypot(station.location.x_km - vc.area.centre.x_km,
                                                   station.location.y_km - vc.area.centre.y_km));
    }
    if (vc.area.radius_km == 0) {
      found.push_back({at + "/area/radius_km",
                       "is 0: every vehicle of the class decides to refuel at the same point"});
    }
    if (!std::isfinite(nearest_km)) {
      found.push_back({at + (vc.pressure.empty() ? "" : "/pressure"),
                       "no open station fills " + (vc.pressure.empty() ? std::string("it") : vc.pressure) +
                           ": its vehicles cannot refuel and are counted stranded"});
      continue;
    }
    const double range_km = vc.tank_kg / vc.consumption_kg_per_100km * 100.0;
    const double road_km = nearest_km * fleet->road_factor;
    if (road_km > range_km) {
      char text[160];
      std::snprintf(text, sizeof text,
                    "the nearest open station it can use is %.0f road km from the area's centre, "
                    "beyond a full tank's range (%.0f km): its vehicles will be towed (stranded)",
                    road_km, range_km);
      found.push_back({at + "/area", text});
    }
  }
  // Once per station: the largest tank it fills that its storage cannot hold.
  for (std::size_t s = 0; s < scenario.open_stations; ++s) {
    const StationSpec& station = scenario.stations[s];
    if (!station.storage || !station.finite()) {
      continue;
    }
    const VehicleClass* largest = nullptr;
    for (const VehicleClass& vc : fleet->classes) {
      const bool fills = vc.pressure.empty() || std::find(station.pressures.begin(),
                                                          station.pressures.end(),
                                                          vc.pressure) != station.pressures.end();
      if (fills && vc.tank_kg > station.storage->capacity_kg &&
          (largest == nullptr || vc.tank_kg > largest->tank_kg)) {
        largest = &vc;
      }
    }
    if (largest != nullptr) {
      found.push_back({"/stations/" + std::to_string(s) + "/storage/capacity_kg",
                       "holds less than a " + largest->name +
                           " tank: its large fills are always turned away here"});
    }
  }
  return found;
}

} // namespace

Scenario load_scenario(std::string_view json_text, const std::vector<Override>& overrides,
                       const std::string& base_dir) {
  json document;
  std::vector<Problem> problems;
  try {
    document = parse_json(json_text, "", problems);
  } catch (const NotJson& error) {
    throw ScenarioError({{"", error.message}});
  } catch (const TooDeep& error) {
    throw ScenarioError({{error.pointer, too_deep()}});
  }
  for (const Override& override : overrides) {
    apply_override(document, override, problems);
  }
  if (!problems.empty()) {
    throw ScenarioError(std::move(problems));
  }
  scenario::validate(document, scenario::scenario_schema(), "", problems);
  check_relations(document, problems);
  if (!problems.empty()) {
    throw ScenarioError(std::move(problems));
  }
  Scenario scenario = build(document);
  scenario.warnings = warnings(scenario);
  if (auto* trace = std::get_if<TraceDemand>(&scenario.demand)) {
    const std::filesystem::path file = std::filesystem::path(base_dir) / trace->file;
    trace->rows = scenario::read_trace(file.string(), scenario.stations, "/demand/file", problems);
    if (!problems.empty()) {
      throw ScenarioError(std::move(problems));
    }
  }
  return scenario;
}

nlohmann::ordered_json scenario_json_schema() {
  nlohmann::ordered_json schema{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                                {"$id", "https://h2sim.dev/scenario.schema.json"},
                                {"title", "h2sim scenario"}};
  schema.update(scenario::to_json_schema(scenario::scenario_schema()));
  return schema;
}

} // namespace h2sim
