#include "tank.hpp"

#include "../../core/limits.hpp"

#include <algorithm>

namespace h2sim::models {

const params::Table& storage_table() {
  using F = params::Of<StorageSpec>;
  static const params::Table table =
      F::table("on-site hydrogen storage (absent: unlimited hydrogen)",
               {F::number("capacity_kg", &StorageSpec::capacity_kg)
                    .describe("capacity")
                    .at_least(0)
                    .at_most(limits::kg),
                F::number("initial_kg", &StorageSpec::initial_kg)
                    .describe("level at the start, <= capacity_kg")
                    .at_least(0)
                    .at_most(limits::kg)},
               {F::rule([](const StorageSpec& storage, params::Checker& check) {
                 if (check.valid("initial_kg") && check.valid("capacity_kg") &&
                     storage.initial_kg > storage.capacity_kg) {
                   check.problem("initial_kg", "must be <= capacity_kg");
                 }
               })});
  return table;
}

Tank::Tank(double capacity_kg, double initial_kg)
    : capacity_(capacity_kg), level_(initial_kg), start_level_(initial_kg), min_level_(initial_kg) {
}

namespace {
// Rounding in sums of kilograms: a fill "exactly" covered by the stock must not be refused.
constexpr double tolerance_kg = 1e-9;
} // namespace

bool Tank::reserve(double now, double kg) {
  if (available() < kg - tolerance_kg) {
    return false;
  }
  reserved_ += kg;
  end_dry(now);
  return true;
}

void Tank::release(double now, double kg) {
  reserved_ = std::max(0.0, reserved_ - kg);
  if (dry_ && available() >= dry_need_ - tolerance_kg) {
    end_dry(now);
  }
}

void Tank::refuse(double now, double kg) {
  if (!dry_) {
    dry_ = true;
    dry_since_ = now;
    if (observer_ != nullptr) {
      observer_->on_tank(station_, TankEvent::dry_start, now, 0);
    }
  }
  dry_need_ = kg;
}

void Tank::draw(double, double kg) {
  reserved_ = std::max(0.0, reserved_ - kg);
  level_ -= kg;
  if (level_ < 0 && level_ > -tolerance_kg) {
    level_ = 0; // conservation stays within the tolerance
  }
  min_level_ = std::min(min_level_, level_);
}

void Tank::add(double now, double kg, bool delivery, bool ends_dry) {
  kg = std::min(kg, room());
  level_ += kg;
  delivered_kg_ += kg;
  // A trailer that finds the tank full still made the trip (and costs one): a delivery of 0 kg
  // (scheduled trailers every 12 h to a full tank counted 1 delivery of 10).
  deliveries_ += delivery ? 1U : 0U;
  if (observer_ != nullptr && (kg > 0 || delivery)) {
    observer_->on_tank(station_, delivery ? TankEvent::delivery : TankEvent::inflow, now, kg);
  }
  if (ends_dry && dry_ && available() >= dry_need_ - tolerance_kg) {
    end_dry(now);
  }
}

void Tank::end_dry(double now) {
  if (dry_) {
    dry_min_ += std::max(0.0, now - std::max(dry_since_, window_start_));
    dry_ = false;
    if (observer_ != nullptr) {
      observer_->on_tank(station_, TankEvent::dry_end, now, 0);
    }
  }
}

void Tank::begin_window(double now, double energy_kwh) {
  window_start_ = now;
  start_energy_kwh_ = energy_kwh;
  start_level_ = level_;
  min_level_ = level_;
  delivered_kg_ = 0;
  deliveries_ = 0;
  dry_min_ = 0;
}

SupplyReport Tank::end_window(double now, double energy_kwh) const {
  SupplyReport report;
  report.inventory_start_kg = start_level_;
  report.inventory_end_kg = level_;
  report.inventory_min_kg = min_level_;
  report.delivered_kg = delivered_kg_;
  report.deliveries = deliveries_;
  report.stockout_min =
      dry_min_ + (dry_ ? std::max(0.0, now - std::max(dry_since_, window_start_)) : 0.0);
  report.energy_kwh = energy_kwh - start_energy_kwh_;
  return report;
}

} // namespace h2sim::models
