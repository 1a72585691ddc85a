#include <h2sim/h2sim.hpp>

namespace h2sim {

namespace embedded {
extern const std::string_view default_scenario; // generated from scenarios/shanghai-2025.json
}

std::string_view default_scenario_text() { return embedded::default_scenario; }

} // namespace h2sim
