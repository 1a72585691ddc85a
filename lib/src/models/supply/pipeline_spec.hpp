#pragma once

#include "../../core/params.hpp"

#include <string>

namespace h2sim::models {

/** A pipeline that stations draw from at once, sharing its capacity max-min fairly. */
struct PipelineSpec {
  std::string id;
  double capacity_kg_per_h = 0;
};
/** The parameters of a pipeline (`pipelines[]`). */
const params::Table& pipeline_table();

} // namespace h2sim::models
