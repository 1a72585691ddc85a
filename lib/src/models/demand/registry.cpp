#include "demand_model.hpp"
#include "fleet.hpp"
#include "poisson.hpp"
#include "trace.hpp"

namespace h2sim::models {

namespace {
template <class Model> DemandFactory factory() {
  return [](const Scenario& scenario, Network& network, Seeds seeds) {
    return std::make_unique<Model>(scenario, network, seeds);
  };
}

// The registry's names, indexed like the alternatives of DemandSpec.
constexpr const char* spec_names[] = {"poisson", "fleet", "trace"};
static_assert(std::size(spec_names) == std::variant_size_v<DemandSpec>);
} // namespace

const std::map<std::string, DemandFactory>& demand_models() {
  static const std::map<std::string, DemandFactory> models{
      {"poisson", factory<PoissonArrivals>()},
      {"fleet", factory<Fleet>()},
      {"trace", factory<TraceReplay>()},
  };
  return models;
}

std::string demand_model_name(const DemandSpec& spec) { return spec_names[spec.index()]; }

} // namespace h2sim::models
