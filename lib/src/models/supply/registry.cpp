#include "delivery.hpp"
#include "onsite.hpp"
#include "pipeline.hpp"
#include "supply.hpp"

namespace h2sim::models {

namespace {
/** `none`: the tank has what it started with. */
class NoResupply final : public Supply {
public:
  explicit NoResupply(SupplyContext) {}
};

template <class Model> SupplyFactory factory() {
  return [](SupplyContext context) { return std::make_unique<Model>(std::move(context)); };
}

// The registry's names, indexed like the alternatives of SupplySpec.
constexpr const char* spec_names[] = {"unlimited", "none", "delivery", "pipeline", "onsite"};
static_assert(std::size(spec_names) == std::variant_size_v<SupplySpec>);
} // namespace

const std::map<std::string, SupplyFactory>& supply_models() {
  static const std::map<std::string, SupplyFactory> models{
      {"none", factory<NoResupply>()},
      {"delivery", factory<Delivery>()},
      {"pipeline", factory<Pipeline>()},
      {"onsite", factory<Onsite>()},
  };
  return models;
}

std::string supply_model_name(const SupplySpec& spec) { return spec_names[spec.index()]; }

} // namespace h2sim::models
