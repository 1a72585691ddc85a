// Candidate sites from a CSV, appended to a scenario's stations for `h2sim site`
// (h2sim/experiments.hpp, docs/siting.md).
#include "../core/csv.hpp"
#include "geographic.hpp"
#include "input_file.hpp"
#include "message.hpp"
#include "parse.hpp"

#include <h2sim/experiments.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>

namespace h2sim {

namespace {

using nlohmann::json;

constexpr std::uintmax_t max_bytes = 16 << 20;
constexpr std::size_t max_rows = 100'000;
constexpr std::size_t max_columns = 1000;
constexpr double max_km = 1e5; // the scenario's bound on x_km and y_km

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";

/** A CSV number as JSON: an integer when it is one (so that integer keys take it). */
json number_json(double value) {
  if (value == std::floor(value) && std::abs(value) < 1e15) {
    return static_cast<long long>(value);
  }
  return value;
}

/** The file's text, after the checks a trace's file meets (check_input_file). */
std::string read_csv_file(const std::string& path) {
  const auto too_large = [&] {
    return ExperimentError(path + " is larger than " + std::to_string(max_bytes) +
                           " bytes, the limit for candidate sites");
  };
  switch (scenario::check_input_file(path, max_bytes)) {
  case scenario::InputFileProblem::none:
    break;
  case scenario::InputFileProblem::nul_in_name:
    throw ExperimentError("the file name contains a NUL byte");
  case scenario::InputFileProblem::cannot_read:
    throw ExperimentError("cannot read " + path);
  case scenario::InputFileProblem::not_regular:
    throw ExperimentError(path + " is not a regular file");
  case scenario::InputFileProblem::too_large:
    throw too_large();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ExperimentError("cannot read " + path);
  }
  std::string text;
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) { // it grew since
      throw too_large();
    }
  }
  return text;
}

/** A row's values, or the error naming `where`. */
CsvFields split_line(const std::string& line, std::size_t keep, const std::string& where) {
  CsvFields fields = csv_split(line, true, keep);
  if (fields.unclosed) {
    throw ExperimentError(where + "a quoted value is not closed on its line (values cannot span "
                                  "lines)");
  }
  if (!fields.error.empty()) {
    throw ExperimentError(where + fields.error);
  }
  return fields;
}

/**
 * `problem` of the scenario with the sites appended, as the CSV's: a problem at
 * /stations/K/KEY... of a site names its line and the column KEY (or the template's value).
 */
std::string csv_problem(const Problem& problem, std::size_t first_site,
                        const std::vector<std::size_t>& lines, const std::set<std::string>& columns,
                        const std::string& name, const std::string& template_id) {
  const std::string prefix = "/stations/";
  if (problem.pointer.starts_with(prefix)) {
    const std::string rest = problem.pointer.substr(prefix.size());
    const std::size_t slash = rest.find('/');
    const std::string index = rest.substr(0, slash);
    const bool digits = !index.empty() && index.size() < 10 &&
                        index.find_first_not_of("0123456789") == std::string::npos;
    if (digits && std::stoul(index) >= first_site &&
        std::stoul(index) - first_site < lines.size()) {
      const std::string at =
          name + ":" + std::to_string(lines[std::stoul(index) - first_site]) + ": ";
      if (slash == std::string::npos) {
        return at + problem.message;
      }
      const std::string inner = rest.substr(slash);                    // /KEY/...
      const std::string key = inner.substr(1, inner.find('/', 1) - 1); // KEY
      if (columns.count(key) > 0) {
        return at + (inner == "/" + key ? key : inner.substr(1)) + ": " + problem.message;
      }
      return at + inner.substr(1) + " (the template " + template_id + "'s): " + problem.message;
    }
  }
  return name + ": the scenario with the sites: " +
         (problem.pointer.empty() ? "" : problem.pointer + ": ") + problem.message;
}

} // namespace

const std::vector<std::string>& candidate_site_columns() {
  static const std::vector<std::string> columns{
      "name",         "dispensers",     "fill_rate_kg_per_min",
      "overhead_min", "queue_capacity", "arrivals_per_h"};
  return columns;
}

CandidateSites add_candidate_sites(const std::string& scenario_text, const std::string& csv_path,
                                   const std::string& template_id, const std::string& base_dir,
                                   const std::optional<LatLon>& given_origin) {
  std::vector<Problem> problems;
  json document;
  try {
    document = scenario::parse_json(scenario_text, "", problems);
  } catch (const scenario::NotJson& error) {
    throw ExperimentError("the scenario: " + error.message);
  } catch (const scenario::TooDeep&) {
    throw ExperimentError("the scenario: " + scenario::too_deep());
  }
  if (!problems.empty() || !document.is_object() || !document.contains("stations") ||
      !document["stations"].is_array() || document["stations"].empty()) {
    throw ExperimentError("the scenario is not valid: it needs stations");
  }
  // --origin, else the scenario's own (where its places in lat and lon are projected about)
  const std::optional<LatLon> origin = given_origin ? given_origin : scenario::origin_of(document);
  if (given_origin && document.contains("origin")) {
    throw ExperimentError("--origin: the scenario has an origin of its own (/origin), which "
                          "places its sites");
  }
  json& stations = document["stations"];
  std::set<std::string> taken; // the ids of the scenario's stations, then of the sites
  const json* model = nullptr;
  for (const json& station : stations) {
    if (station.is_object() && station.contains("id") && station["id"].is_string()) {
      taken.insert(station["id"].get<std::string>());
      if (model == nullptr && (template_id.empty() || station["id"] == template_id)) {
        model = &station;
      }
    }
  }
  if (model == nullptr) {
    throw ExperimentError("no station " + template_id + " in the scenario to copy");
  }
  const std::string model_id = (*model)["id"].get<std::string>();
  const json base = *model;

  const std::string text = read_csv_file(csv_path);
  const std::string& name = csv_path;
  std::istringstream in(text);
  std::string line;
  std::size_t number = 0;
  const auto next_line = [&] {
    if (!std::getline(in, line)) {
      return false;
    }
    ++number;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    return true;
  };
  if (!next_line()) {
    throw ExperimentError(name + " is empty: it needs a header line");
  }
  if (line.starts_with(byte_order_mark)) { // Excel's "CSV UTF-8" begins with one
    line.erase(0, byte_order_mark.size());
  }
  const std::string header_at = name + ":1: ";
  const CsvFields header = split_line(line, max_columns, header_at);
  if (header.count > max_columns) {
    throw ExperimentError(header_at + "more than " + std::to_string(max_columns) + " columns");
  }
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < header.cells.size(); ++i) {
    if (!column.emplace(header.cells[i], i).second) {
      throw ExperimentError(header_at + "column " + scenario::brief_string(header.cells[i]) +
                            " appears twice");
    }
  }
  const auto has = [&](const std::string& key) { return column.count(key) > 0; };
  if (!has("id")) {
    throw ExperimentError(header_at + "the header needs id");
  }
  const bool geographic = has("lat") || has("lon");
  if (geographic && (has("x_km") || has("y_km"))) {
    throw ExperimentError(header_at + "either x_km and y_km or lat and lon, not both");
  }
  if (geographic && (!has("lat") || !has("lon"))) {
    throw ExperimentError(header_at + "the header needs lat and lon (or x_km and y_km)");
  }
  if (!geographic && (!has("x_km") || !has("y_km"))) {
    throw ExperimentError(header_at + "the header needs x_km and y_km (or lat and lon)");
  }
  if (given_origin && !geographic) {
    throw ExperimentError(header_at + "--origin places only sites given in lat and lon; this CSV "
                                      "gives x_km and y_km (km from the scenario's (0, 0)), which "
                                      "need no origin");
  }
  if (geographic && !origin) {
    throw ExperimentError(header_at + "lat and lon need the latitude and longitude of the "
                                      "scenario's (0, 0) km (its /origin, or --origin LAT,LON)");
  }
  std::set<std::string> columns{"id", "x_km", "y_km"};
  for (const std::string& key : candidate_site_columns()) {
    if (has(key)) {
      columns.insert(key);
    }
  }

  CandidateSites sites;
  std::vector<std::size_t> lines; // of each site
  std::map<std::string, std::size_t> site_line;
  const std::size_t first_site = stations.size();
  while (next_line()) {
    if (csv_blank(line)) {
      continue;
    }
    const std::string where = name + ":" + std::to_string(number) + ": ";
    if (sites.ids.size() == max_rows) {
      throw ExperimentError(where + "more than " + std::to_string(max_rows) +
                            " rows, the limit for candidate sites");
    }
    const CsvFields cells = split_line(line, header.count, where);
    if (cells.count != header.count) {
      throw ExperimentError(where + "has " + std::to_string(cells.count) + " values for " +
                            std::to_string(header.count) + " columns");
    }
    const auto cell = [&](const std::string& key) -> const std::string& {
      return cells.cells[column.at(key)];
    };
    const std::string& id = cell("id");
    if (id.empty()) {
      throw ExperimentError(where + "id: empty (every site needs an id)");
    }
    if (const auto earlier = site_line.find(id); earlier != site_line.end()) {
      throw ExperimentError(where + "id: " + scenario::brief_string(id) + " is on line " +
                            std::to_string(earlier->second) + " too");
    }
    if (taken.count(id) > 0) {
      throw ExperimentError(where + "id: " + scenario::brief_string(id) +
                            " is a station of the scenario already");
    }
    json station = base;
    station.erase("name");
    station.erase("lat"); // the template's place, if given in degrees: the row's replaces it
    station.erase("lon");
    station["id"] = id;
    if (geographic) {
      LatLon at;
      for (const auto& [axis, bound, value] :
           {std::tuple{"lat", 90.0, &at.lat}, std::tuple{"lon", 180.0, &at.lon}}) {
        if (!csv_decimal(cell(axis), *value) || std::abs(*value) > bound) {
          throw ExperimentError(where + axis + ": must be a number of degrees from -" +
                                std::to_string(static_cast<int>(bound)) + " to " +
                                std::to_string(static_cast<int>(bound)) + " (got " +
                                scenario::brief_string(cell(axis)) + ")");
        }
      }
      const auto [x, y] = project_equirectangular(at, *origin);
      station["x_km"] = x;
      station["y_km"] = y;
    } else {
      for (const char* axis : {"x_km", "y_km"}) {
        double value = 0;
        if (!csv_decimal(cell(axis), value) || std::abs(value) > max_km) {
          throw ExperimentError(where + axis + ": must be a number from -100000 to 100000 (got " +
                                scenario::brief_string(cell(axis)) + ")");
        }
        station[axis] = value;
      }
    }
    // `dispensers` may list options (2|4|6): one site per option, ID@N.
    std::vector<int> options;
    if (has("dispensers") && cell("dispensers").find('|') != std::string::npos) {
      std::string rest = cell("dispensers") + "|";
      for (std::size_t bar = rest.find('|'); bar != std::string::npos; bar = rest.find('|')) {
        const std::string option = rest.substr(0, bar);
        rest.erase(0, bar + 1);
        double value = 0;
        if (!csv_decimal(option, value) || value != std::floor(value) || value < 1 ||
            value > 1000) {
          throw ExperimentError(where +
                                "dispensers: each option must be an integer from 1 to "
                                "1000 (got " +
                                scenario::brief_string(option) + " in " +
                                scenario::brief_string(cell("dispensers")) + ")");
        }
        if (std::find(options.begin(), options.end(), static_cast<int>(value)) != options.end()) {
          throw ExperimentError(where + "dispensers: option " + option + " is listed twice");
        }
        options.push_back(static_cast<int>(value));
      }
    }
    for (const std::string& key : candidate_site_columns()) {
      if (!has(key) || cell(key).empty() || (key == "dispensers" && !options.empty())) {
        continue; // the template's, or the options'
      }
      if (key == "name") {
        station[key] = cell(key);
        continue;
      }
      double value = 0;
      if (!csv_decimal(cell(key), value)) {
        throw ExperimentError(where + key + ": must be a number (got " +
                              scenario::brief_string(cell(key)) + ")");
      }
      station[key] = number_json(value);
    }
    if (options.empty()) {
      stations.push_back(std::move(station));
      site_line.emplace(id, number);
      lines.push_back(number);
      sites.ids.push_back(id);
      continue;
    }
    std::vector<std::string> group;
    for (const int option : options) {
      const std::string option_id = id + "@" + std::to_string(option);
      if (site_line.count(option_id) > 0 || taken.count(option_id) > 0) {
        throw ExperimentError(where + "id: " + scenario::brief_string(option_id) +
                              " (the site with " + std::to_string(option) +
                              " dispensers) is a station or site already");
      }
      json variant = station;
      variant["id"] = option_id;
      variant["dispensers"] = option;
      stations.push_back(std::move(variant));
      site_line.emplace(option_id, number);
      lines.push_back(number);
      sites.ids.push_back(option_id);
      group.push_back(option_id);
    }
    site_line.emplace(id, number);
    sites.alternatives.push_back(std::move(group));
  }
  if (sites.ids.empty()) {
    throw ExperimentError(name + " has no sites (a header and no rows)");
  }
  if (!document.contains("open_stations")) { // all the scenario's stations, none of the sites
    document["open_stations"] = first_site;
  }
  sites.scenario_text = document.dump(2);
  try {
    load_scenario(sites.scenario_text, {}, base_dir);
  } catch (const ScenarioError& error) {
    throw ExperimentError(
        csv_problem(error.problems().front(), first_site, lines, columns, name, model_id));
  }
  return sites;
}

} // namespace h2sim
