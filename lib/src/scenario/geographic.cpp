#include "geographic.hpp"

#include "message.hpp"

#include <cmath>
#include <cstdio>

namespace h2sim {

std::array<double, 2> project_equirectangular(const LatLon& at, const LatLon& origin) {
  constexpr double earth_radius_km = 6371.0088; // the mean radius (IUGG)
  constexpr double radians = 3.14159265358979323846 / 180;
  double east = at.lon - origin.lon; // the short way round
  if (east > 180) {
    east -= 360;
  } else if (east < -180) {
    east += 360;
  }
  return {earth_radius_km * east * radians * std::cos(origin.lat * radians),
          earth_radius_km * (at.lat - origin.lat) * radians};
}

} // namespace h2sim

namespace h2sim::scenario {

namespace {

using nlohmann::json;
using params::Kind;
using params::Table;

constexpr double radians = 3.14159265358979323846 / 180;
constexpr double max_scale_error = 0.05; // beyond it, a warning

bool number_field(const Table& table, const char* key) {
  for (const params::Field& field : table.fields) {
    if (field.key == key) {
      return field.kind == Kind::number;
    }
  }
  return false;
}

bool degrees(const json& value, double bound) {
  return value.is_number() && std::abs(value.get<double>()) <= bound;
}

struct Projection {
  std::optional<LatLon> origin;
  bool origin_given = false; // present, valid or not (an invalid one is the reader's to report)
  std::size_t without_origin = 0;       // places in lat and lon, with no origin to project them
  std::size_t first_without_origin = 0; // the problem that says so, in *problems
  std::vector<Problem>* problems;
  double worst_error = 0; // of east-west distances, relative
  std::string worst_at;
  double worst_north_km = 0;
  bool worst_too_long = false;

  void point(json& object, const std::string& pointer) {
    const bool lat = object.contains("lat");
    const bool lon = object.contains("lon");
    if (!lat && !lon) {
      return;
    }
    const auto problem = [&](const char* key, std::string message) {
      problems->push_back({pointer + "/" + key, std::move(message)});
    };
    bool ok = true;
    if (object.contains("x_km") || object.contains("y_km")) {
      problem(lat ? "lat" : "lon", "either x_km and y_km or lat and lon, not both");
      ok = false;
    } else if (!lat || !lon) {
      problem(lat ? "lon" : "lat", std::string("is required with ") + (lat ? "lat" : "lon") +
                                       ": a number of degrees from " +
                                       (lat ? "-180 to 180" : "-90 to 90"));
      ok = false;
    } else {
      if (!degrees(object["lat"], 90)) {
        problem("lat", "must be a number of degrees from -90 to 90 (got " +
                           brief_json(object["lat"]) + ")");
        ok = false;
      }
      if (!degrees(object["lon"], 180)) {
        problem("lon", "must be a number of degrees from -180 to 180 (got " +
                           brief_json(object["lon"]) + ")");
        ok = false;
      }
      if (ok && !origin && !origin_given) { // said once, at the first such place
        if (without_origin++ == 0) {
          problem("lat", "needs /origin: the latitude and longitude of the scenario's (0, 0) km");
          first_without_origin = problems->size() - 1;
        }
        ok = false;
      }
    }
    LatLon at;
    if (ok && origin) {
      at = {object["lat"].get<double>(), object["lon"].get<double>()};
    }
    object.erase("lat");
    object.erase("lon");
    if (!ok || !origin) { // x_km and y_km stand in, so that nothing else is said of the point
      for (const char* key : {"x_km", "y_km"}) {
        if (!object.contains(key)) {
          object[key] = 0;
        }
      }
      return;
    }
    const auto [x, y] = project_equirectangular(at, *origin);
    object["x_km"] = x;
    object["y_km"] = y;
    // The plane's east-west lengths at `at` over the true ones: cos(origin's lat) / cos(lat).
    const double scale = std::cos(origin->lat * radians) / std::cos(at.lat * radians);
    const double error = std::isfinite(scale) ? std::abs(scale - 1) : INFINITY;
    if (error > worst_error) {
      worst_error = error;
      worst_at = pointer + "/lat";
      worst_north_km = y;
      worst_too_long = scale > 1;
    }
  }

  void walk(json& value, const Table& table, const std::string& pointer) {
    if (!value.is_object()) {
      return;
    }
    if (places_in_plane(table)) {
      point(value, pointer);
    }
    for (const params::Field& field : table.fields) {
      const auto it = value.find(field.key);
      if (it == value.end()) {
        continue;
      }
      const std::string where = pointer + "/" + escape_pointer(field.key);
      if (field.kind == Kind::object) {
        walk(*it, *field.table, where);
      } else if (field.kind == Kind::list && it->is_array()) {
        for (std::size_t i = 0; i < it->size(); ++i) {
          walk((*it)[i], *field.table, where + "/" + std::to_string(i));
        }
      } else if (field.kind == Kind::model && it->is_object()) {
        const auto tag = it->find(field.catalog->tag);
        if (tag != it->end() && tag->is_string()) {
          if (const Table* model = field.catalog->find(tag->get<std::string>())) {
            walk(*it, *model, where);
          }
        }
      }
    }
  }
};

} // namespace

bool places_in_plane(const Table& table) {
  return number_field(table, "x_km") && number_field(table, "y_km");
}

void offer_lat_lon(std::vector<Problem>& problems) {
  const std::string key = "/x_km";
  for (Problem& problem : problems) {
    const std::string& pointer = problem.pointer;
    if (pointer.size() >= key.size() &&
        pointer.compare(pointer.size() - key.size(), key.size(), key) == 0 &&
        problem.message.rfind("is required: ", 0) == 0) {
      problem.message += " (or lat and lon instead of x_km and y_km: degrees, with /origin)";
    }
  }
}

std::optional<LatLon> origin_of(const json& document) {
  if (!document.is_object()) {
    return std::nullopt;
  }
  const auto it = document.find("origin");
  if (it == document.end() || !it->is_object() || !it->contains("lat") || !it->contains("lon") ||
      !degrees((*it)["lat"], 80) || !degrees((*it)["lon"], 180)) {
    return std::nullopt;
  }
  return LatLon{(*it)["lat"].get<double>(), (*it)["lon"].get<double>()};
}

void project_coordinates(json& document, const Table& root, std::vector<Problem>& problems,
                         std::vector<Warning>& warnings) {
  Projection projection;
  projection.origin = origin_of(document);
  projection.origin_given = document.is_object() && document.contains("origin");
  projection.problems = &problems;
  projection.walk(document, root, "");
  if (projection.without_origin > 1) {
    const std::size_t more = projection.without_origin - 1;
    problems[projection.first_without_origin].message +=
        "; so do " + std::to_string(more) + (more == 1 ? " more place" : " more places") +
        " given in lat and lon";
  }
  if (projection.worst_error > max_scale_error) {
    char percent[32];
    if (projection.worst_error < 10) {
      std::snprintf(percent, sizeof percent, "%.1f%%", 100 * projection.worst_error);
    } else {
      std::snprintf(percent, sizeof percent, "over 1000%%");
    }
    char text[400];
    std::snprintf(text, sizeof text,
                  "%.0f km %s of /origin: east-west distances there are %s %s in the km plane, "
                  "which is true only along the origin's latitude; for a region this large, "
                  "give x_km and y_km from a map projection, or a scenario per region",
                  std::abs(projection.worst_north_km),
                  projection.worst_north_km > 0 ? "north" : "south", percent,
                  projection.worst_too_long ? "too long" : "too short");
    warnings.push_back({projection.worst_at, text});
  }
}

} // namespace h2sim::scenario
