#include "pipeline.hpp"

#include "../../core/limits.hpp"

namespace h2sim::models {

const params::Table& pipeline_table() {
  using F = params::Of<PipelineSpec>;
  static const params::Table table =
      F::table("a pipeline", {F::text("id", &PipelineSpec::id).describe("unique id").not_empty(),
                              F::number("capacity_kg_per_h", &PipelineSpec::capacity_kg_per_h)
                                  .describe("shared capacity (0: cut, nothing flows)")
                                  .at_least(0)
                                  .at_most(limits::rate)
                                  .changes_during_run()});
  return table;
}

const params::Table& pipeline_supply_table() {
  using F = params::Of<PipelineParams>;
  static const params::Table table =
      F::table("fed by a pipeline while storage has room",
               {F::text("pipeline", &PipelineParams::pipeline)
                    .describe("id of the pipeline in /pipelines")
                    .refers("/pipelines", "id", "pipeline"),
                F::number("max_rate_kg_per_h", &PipelineParams::max_rate_kg_per_h)
                    .describe("the most this station can draw")
                    .above(0)
                    .at_most(limits::rate)});
  return table;
}

Pipeline::Pipeline(SupplyContext context)
    : context_(std::move(context)), spec_(&context_.station->supply.as<PipelineParams>()),
      inflow_(*context_.pipelines.at(spec_->pipeline), [this](double kg) {
        const double now = context_.calendar->now();
        context_.tank->add(now, kg, false, !looking_);
        if (!restarting_ && !inflow_.running()) {
          flowing(now, false); // the flow ended: the storage is full
        }
      }) {}

void Pipeline::flowing(double now, bool flowing) {
  if (flowing != flowing_) {
    flowing_ = flowing;
    context_.tank->note(now, flowing ? TankEvent::pipeline_start : TankEvent::pipeline_stop);
  }
}

void Pipeline::catch_up(double) { inflow_.take(); }

void Pipeline::look(double now) {
  // The inflow is credited (the bin's books), but a dry spell that the inflow ended since the last
  // look goes on to the next check or visit, as without the bin: else a series bin's edge ended
  // it there, and --series changed stockout_h by up to dry_check_min per spell.
  looking_ = true;
  catch_up(now);
  looking_ = false;
}

void Pipeline::after_refusal(double now, double) {
  if (!checking_) {
    checking_ = true;
    context_.calendar->schedule(now + dry_check_min, [this] { check_while_dry(); });
  }
}

void Pipeline::check_while_dry() {
  const double now = context_.calendar->now();
  catch_up(now);
  if (context_.tank->dry()) {
    context_.calendar->schedule(now + dry_check_min, [this] { check_while_dry(); });
  } else {
    checking_ = false;
  }
}

void Pipeline::restart(double now) {
  restarting_ = true; // a restart is not a stop
  inflow_.stop();
  restarting_ = false;
  const double room = context_.tank->room();
  if (room > 1e-9) {
    inflow_.start(room, spec_->max_rate_kg_per_h / 60.0);
  }
  flowing(now, inflow_.running());
}

} // namespace h2sim::models
