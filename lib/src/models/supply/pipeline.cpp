#include "pipeline.hpp"

namespace h2sim::models {

Pipeline::Pipeline(SupplyContext context)
    : context_(std::move(context)), spec_(&std::get<PipelineSupply>(context_.station->supply)),
      inflow_(*context_.pipelines.at(spec_->pipeline_index),
              [this](double kg) { context_.tank->add(context_.calendar->now(), kg); }) {}

void Pipeline::catch_up(double) { inflow_.take(); }

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

void Pipeline::restart(double) {
  inflow_.stop();
  const double room = context_.tank->room();
  if (room > 1e-9) {
    inflow_.start(room, spec_->max_rate_kg_per_h / 60.0);
  }
}

} // namespace h2sim::models
