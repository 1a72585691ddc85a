#include "pipeline.hpp"

namespace h2sim::models {

Pipeline::Pipeline(SupplyContext context)
    : context_(std::move(context)), spec_(&std::get<PipelineSupply>(context_.station->supply)),
      pipeline_(context_.pipelines.at(spec_->pipeline_index)) {}

void Pipeline::catch_up(double now) {
  if (flowing_) {
    const double moved = pipeline_->moved(flow_);
    context_.tank->add(now, moved - credited_kg_);
    credited_kg_ = moved;
  }
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
  if (flowing_) {
    const double moved = pipeline_->stop(flow_);
    context_.tank->add(now, moved - credited_kg_);
    flowing_ = false;
  }
  const double room = context_.tank->room();
  if (room <= 1e-9) {
    return;
  }
  flowing_ = true;
  flow_kg_ = room;
  credited_kg_ = 0;
  flow_ = pipeline_->start(room, spec_->max_rate_kg_per_h / 60.0, [this] {
    flowing_ = false;
    context_.tank->add(context_.calendar->now(), flow_kg_ - credited_kg_);
  });
}

} // namespace h2sim::models
