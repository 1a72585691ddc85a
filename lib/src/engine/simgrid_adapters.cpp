#include "simgrid_adapters.hpp"

#include <simgrid/version.h>

#if SIMGRID_VERSION < 33400 // 3.34 keeps an actor's activities in a std::set
#define H2SIM_OWNERLESS_EXECS 1
// SimGrid's kernel exports these two, but 3.32 installs no header for them (see ownerless_exec).
namespace simgrid::kernel::context {
class Context {
public:
  static Context* self();
  static void set_current(Context* self);
};
} // namespace simgrid::kernel::context
#endif

namespace h2sim::engine {

simgrid::s4u::ExecPtr ownerless_exec() {
#ifdef H2SIM_OWNERLESS_EXECS
  using simgrid::kernel::context::Context;
  struct NoContext { // the current context is restored however init() returns
    Context* const current = Context::self();
    NoContext() { Context::set_current(nullptr); }
    NoContext(const NoContext&) = delete;
    NoContext& operator=(const NoContext&) = delete;
    ~NoContext() { Context::set_current(current); }
  } const no_context;
#endif
  // From 3.34, maestro's: its on_completion is not listened to.
  return simgrid::s4u::Exec::init();
}

void SimGridCalendar::run_until(simgrid::s4u::Engine& engine, double limit) {
  limit_ = limit;
  engine.run_until(limit);
  if (capacities_ != nullptr) {
    // Flows that ended in SimGrid's last step with no timer of ours at its date (see
    // fire_at_clock): SimGrid reported them as it stopped, and their on_done ran in the next
    // run_until's first step.
    capacities_->report_ended();
  }
}

void SimGridCalendar::fire() {
  armed_ = nullptr;
  firing_ = true;
  synced_ = simgrid::s4u::Engine::get_clock();
  clock_ = synced_;
  past_flows_ = false;
  if (capacities_ != nullptr) {
    capacities_->synced();
  }
  for (;;) {
    while (!pending_.empty() && pending_.front_at() <= clock_ && !sync_requested_) {
      if (past_flows_ && scope_of(pending_.front_payload()) != Scope::local) {
        sync_requested_ = true; // it may touch a flow: SimGrid steps here first
        break;
      }
      run_next();
    }
    // Where SimGrid's run_until(limit_) would stop stepping: at its limit, or when the next date
    // is past it.
    if (!run_ahead_ || sync_requested_ || pending_.empty() || run_until_stops_at(clock_)) {
      break;
    }
    const double front_at = pending_.front_at();
    if (front_at > limit_) {
      break;
    }
    if (capacities_ != nullptr && !capacities_->quiet_through(front_at)) {
      // Flows run in SimGrid: only a local event may run ahead of them, and only before any of
      // them ends or a capacity changes.
      if (scope_of(pending_.front_payload()) != Scope::local ||
          !capacities_->steady_through(front_at)) {
        break;
      }
      past_flows_ = true;
    }
    clock_ += front_at - clock_; // SimGrid's step: now_ += (date - now_)
  }
  sync_requested_ = false;
  past_flows_ = false;
  firing_ = false;
  if (capacities_ != nullptr) {
    capacities_->report_ended();
  }
  if (clock_ != synced_) {
    arm_at(clock_); // an empty step brings SimGrid's clock here first
  } else {
    arm();
  }
}

} // namespace h2sim::engine
