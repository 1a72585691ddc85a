#pragma once

#include "../../core/inflow.hpp"
#include "pipeline_spec.hpp"
#include "supply.hpp"

namespace h2sim::models {

/** A station fed by a pipeline at up to `max_rate_kg_per_h` while storage has room. */
struct PipelineParams {
  std::string pipeline; // id of a pipeline in the scenario's pipelines
  double max_rate_kg_per_h = 0;
};
/** The parameters of supply model `pipeline`. */
const params::Table& pipeline_supply_table();

/**
 * Fed by a pipeline while storage has room: one flow of "the room" on the pipeline's shared
 * capacity, capped at the station's max rate. Stations drawing at once share the pipeline max-min
 * fairly (the engine's fluid model). A fill makes more room, so the flow is restarted for it.
 */
class Pipeline final : public Supply {
public:
  explicit Pipeline(SupplyContext context);
  void start(double now) override { restart(now); }
  void catch_up(double now) override;
  /** Ends no dry spell: a pipeline's dry spell ends at the model's own looks (below, a visit). */
  void look(double now) override;
  void after_draw(double now) override { restart(now); }
  bool shares_capacity() const override { return true; }
  /** While dry, the tank is looked at every few minutes, so the dry spell ends on time. */
  void after_refusal(double now, double kg) override;

  /** How often a dry station checks its inflow: the resolution of its stockout_h. */
  static constexpr double dry_check_min = 5.0;

private:
  void restart(double now);
  void check_while_dry();
  /**
   * Whether the station draws from the pipeline: from when the storage has room (at the start, or
   * a fill made room in full storage) until the storage is full. Told to the observer as it
   * changes.
   */
  void flowing(double now, bool flowing);

  SupplyContext context_;
  const PipelineParams* spec_;
  Inflow inflow_; // "the room" of the tank, on the pipeline's shared capacity
  bool checking_ = false;
  bool flowing_ = false;    // what the observer was last told
  bool restarting_ = false; // stopping the flow only to start it again
  bool looking_ = false;    // crediting for a look from outside the model
};

} // namespace h2sim::models
