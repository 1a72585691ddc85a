#include "registry.hpp"

#include "delivery.hpp"
#include "onsite.hpp"
#include "pipeline.hpp"
#include "scheduled.hpp"

#include <stdexcept>

namespace h2sim::models {

namespace {
/** `unlimited` and `none` have no parameters. */
struct NoParams {};
const params::Table& no_params() {
  static const params::Table table = params::Of<NoParams>::table("", {});
  return table;
}

/** `none`: the tank has what it started with. */
class NoResupply final : public Supply {
public:
  explicit NoResupply(SupplyContext) {}
};

template <class Model> SupplyFactory factory() {
  return [](SupplyContext context) { return std::make_unique<Model>(std::move(context)); };
}
} // namespace

const std::vector<SupplyModel>& supply_models() {
  static const std::vector<SupplyModel> models{
      {"unlimited", &no_params(), {}},
      {"none", &no_params(), factory<NoResupply>()},
      {"delivery", &delivery_table(), factory<Delivery>()},
      {"pipeline", &pipeline_supply_table(), factory<Pipeline>()},
      {"onsite", &onsite_table(), factory<Onsite>()},
      {"scheduled", &scheduled_table(), factory<Scheduled>()},
  };
  return models;
}

const SupplyModel& supply_model(const std::string& name) {
  for (const SupplyModel& model : supply_models()) {
    if (model.name == name) {
      return model;
    }
  }
  throw std::logic_error("no supply model " + name);
}

const params::Catalog& supply_catalog() {
  static const params::Catalog catalog = [] {
    params::Catalog built;
    built.tag = "model";
    for (const SupplyModel& model : supply_models()) {
      built.models.emplace_back(model.name, model.table);
    }
    return built;
  }();
  return catalog;
}

} // namespace h2sim::models
