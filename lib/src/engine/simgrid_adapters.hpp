#pragma once
// The engine's adapters between the models' interfaces (core/calendar.hpp,
// core/shared_capacity.hpp) and SimGrid: only the engine and its own tests include this.

#include "../core/calendar.hpp"
#include "../core/event_heap.hpp"
#include "../core/shared_capacity.hpp"

#include <simgrid/kernel/ProfileBuilder.hpp>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/kernel/resource/Model.hpp>
#include <simgrid/s4u.hpp>
#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace h2sim::engine {

/**
 * An Exec that belongs to no actor. SimGrid 3.32 files each Exec made in an actor's context (the
 * calendar's timers run in maestro's) in that actor's std::list of activities, and takes it out
 * with list::remove when it ends: a walk over every Exec still running for each one that ends. At
 * the 100x tile, 575 flows run on average and 170,000 end a day: that walk was 8% of the run. An
 * Exec made while no context is current has no actor (ExecImpl's constructor), and only that list
 * and the report of its end (Activity::on_completion, sent for maestro's activities alone) read
 * the actor: SimGridCapacities reports the ends itself (report_ended), and the flow's ExecPtr and
 * retire() keep the Exec alive as the list did. From 3.34 the list is a std::set and the Exec is
 * maestro's again (whose on_completion nothing listens to).
 */
simgrid::s4u::ExecPtr ownerless_exec();

/**
 * SimGrid's command line for an engine of ours (SimGrid parses its own options from argv; ours
 * never reach it): quiet but for failures, raw contexts.
 */
class EngineArgs {
public:
  EngineArgs() {
    for (std::string& arg : args_) {
      argv_.push_back(arg.data());
    }
    argv_.push_back(nullptr);
  }
  EngineArgs(const EngineArgs&) = delete;
  EngineArgs& operator=(const EngineArgs&) = delete;
  int* argc() { return &argc_; }
  char** argv() { return argv_.data(); }

private:
  std::vector<std::string> args_{"h2sim", "--log=root.thres:critical",
                                 "--cfg=contexts/factory:raw"};
  std::vector<char*> argv_;
  int argc_ = static_cast<int>(args_.size());
};

class SimGridCapacities;

/**
 * The model's future events, run by SimGrid's clock. Events are kept in (time, sequence) order, as
 * in SimPy, so equal-time events run in the order scheduled (SimGrid's own timer heap does not
 * promise that); exactly one SimGrid kernel timer is armed, at the earliest pending time. A timer
 * runs in the kernel without a context switch, so an event costs no actor activity
 * (docs/engine-notes.md: one actor per vehicle is 20x slower).
 *
 * One SimGrid step runs many events. A step costs SimGrid a solve of every model, a look at every
 * model's ended actions and its timers, about 2,000 instructions, more than a refuelling itself.
 * Yet while no shared capacity has a flow in SimGrid and no capacity changes, SimGrid would do
 * nothing in the steps between our events but move its clock. So a firing timer runs its own
 * date's events and then goes on to the next event's date itself as long as SimGrid would only
 * have moved its clock there (SimGridCapacities::quiet_through): it computes the date the way
 * SimGrid's step does (clock + (next - clock), and stops where run_until(limit) stops: within
 * 1e-5 of the limit, or before a date past it), so models see the same clock, to the bit, as with
 * one step per date. Where it stops it arms a timer at the date it reached, and that step,
 * empty, brings SimGrid's clock there before SimGrid does anything else (a later step then starts
 * from the same clock as before). A flow started by an event run ahead of SimGrid's clock is
 * started in SimGrid at that first step, before the rest of its date's events (see
 * SimGridCapacities::start). While flows run, only local events (Calendar::Scope) go on ahead,
 * and only before the first flow could end (SimGridCapacities::steady_through): SimGrid's lazy
 * fluid model changes nothing in the steps they skip. ARCHITECTURE.md says why outputs stay the
 * same.
 */
class SimGridCalendar final : public Calendar {
public:
  double now() const override { return firing_ ? clock_ : simgrid::s4u::Engine::get_clock(); }

  using Calendar::schedule;
  void schedule(double at, EventAction action, Scope scope) override {
    if (failure_) {
      return;
    }
    std::uint32_t slot = 0;
    if (free_.empty()) {
      if (actions_.size() > max_slot) {
        throw std::length_error(
            fmt::format("the calendar holds at most {} pending events", max_slot + 1));
      }
      slot = static_cast<std::uint32_t>(actions_.size());
      actions_.push_back(std::move(action));
    } else {
      slot = free_.back();
      free_.pop_back();
      actions_[slot] = std::move(action);
    }
    pending_.push(at, slot << 1 | (scope == Scope::local ? 1U : 0U));
    if (!firing_) {
      arm();
    }
  }

  /** Runs SimGrid until `limit` (minutes), as Engine::run_until; events run ahead stop there too.
   */
  void run_until(simgrid::s4u::Engine& engine, double limit);

  /**
   * Off: every date's events run in a SimGrid step of their own, none ahead of SimGrid's clock.
   * The outputs are the same either way; off, a run checks that they are (H2SIM_ONE_STEP_PER_DATE).
   */
  void set_run_ahead(bool run_ahead) { run_ahead_ = run_ahead; }

  /** The shared capacities whose flows decide how far events may run ahead of SimGrid. */
  void set_capacities(SimGridCapacities& capacities) { capacities_ = &capacities; }
  /** An event is running at a later date than SimGrid's clock (SimGrid cannot be asked now). */
  bool ahead() const { return firing_ && clock_ != synced_; }
  /**
   * Local events are running at a later date than SimGrid's clock while flows run there: nothing
   * may touch a shared capacity now (an event that does broke its Calendar::Scope).
   */
  bool past_flows() const { return firing_ && past_flows_; }
  /** Run no further events now: SimGrid must step to the current date first. */
  void request_sync() { sync_requested_ = true; }
  /**
   * Fire at SimGrid's clock, events or not (called as SimGrid advances it, before its timers), so
   * that the flows which ended then are reported after the timers of that date, where SimGrid
   * reported them. But where SimGrid stops its run_until after this step (within 1e-5 of the
   * limit, its own test) and no timer of ours is due, it reported them and stopped, and the events
   * that scheduled ran in the next run_until: run_until reports them when SimGrid returns.
   */
  void fire_at_clock() {
    const double now = simgrid::s4u::Engine::get_clock();
    if (armed_ != nullptr && armed_->get_date() <= now) {
      return;
    }
    if (!run_until_stops_at(now)) {
      arm_at(now);
    }
  }

  std::uint64_t events() const { return events_; }
  /** Rethrows what a model event threw, if one did. */
  void rethrow_failure() const {
    if (failure_) {
      std::rethrow_exception(failure_);
    }
  }

private:
  /** An event's payload in the queue: its slot in actions_, then whether it is local. */
  static constexpr std::uint32_t max_slot = (std::uint32_t{1} << 31) - 1;
  static constexpr std::uint32_t no_slot = max_slot + 1;
  static std::uint32_t slot_of(std::uint32_t payload) { return payload >> 1; }
  static Scope scope_of(std::uint32_t payload) {
    return (payload & 1U) != 0 ? Scope::local : Scope::shared;
  }

  /** Makes the one armed timer the earliest pending event's. */
  void arm() {
    if (pending_.empty() || (armed_ != nullptr && armed_->get_date() <= pending_.front_at())) {
      return;
    }
    arm_at(pending_.front_at());
  }
  void arm_at(double date) {
    if (armed_ != nullptr) {
      armed_->remove();
    }
    armed_ = simgrid::kernel::timer::Timer::set(date, [this] { fire(); });
  }

  void fire();
  /** Whether SimGrid's run_until stops stepping at `date`: within 1e-5 of its limit (its test). */
  bool run_until_stops_at(double date) const { return std::fabs(limit_ - date) < 1e-5; }

  /** Runs the earliest pending event. */
  void run_next() {
    const std::uint32_t slot = slot_of(pending_.pop());
    // Moved out before running: the action may schedule (and so reuse its slot).
    EventAction action = std::move(actions_[slot]);
    free_.push_back(slot);
    // The next events' actions were stored when they were scheduled, hours of simulated time and
    // thousands of events ago: load them into the cache while this one runs (bench/results/
    // 2026-12-01-prefetch.json: Shanghai 6-10% less CPU), and once this one has run, what the
    // one after next reads first (its vehicle's record), a whole event ahead.
    std::uint32_t after_next = no_slot;
    if (!pending_.empty()) {
      __builtin_prefetch(&actions_[slot_of(pending_.front_payload())]);
      std::uint32_t payload = 0;
      if (pending_.runner_up_payload(payload)) {
        after_next = slot_of(payload);
        __builtin_prefetch(&actions_[after_next]);
      }
    }
    ++events_;
    try {
      action();
      if (after_next != no_slot) { // a slot still: actions_ only grows while an action runs
        __builtin_prefetch(actions_[after_next].first_read());
      }
    } catch (...) {
      // An exception must not cross SimGrid's loop: the model stops here, SimGrid runs out of
      // model events, and simulate() reports the failure.
      failure_ = std::current_exception();
      pending_.clear();
      actions_.clear();
      free_.clear();
    }
  }

  EventQueue pending_;               // earliest (time, sequence) first
  std::vector<EventAction> actions_; // the pending events' actions, by slot
  std::vector<std::uint32_t> free_;  // slots of actions_ free for reuse
  simgrid::kernel::timer::Timer* armed_ = nullptr;
  SimGridCapacities* capacities_ = nullptr;
  bool run_ahead_ = true;
  bool firing_ = false;
  bool sync_requested_ = false;
  bool past_flows_ = false; // while firing: run ahead of SimGrid's clock with flows running
  double clock_ = 0;        // while firing: the date of the events running
  double synced_ = 0;       // while firing: SimGrid's clock
  double limit_ = std::numeric_limits<double>::infinity();
  std::uint64_t events_ = 0;
  std::exception_ptr failure_;
};

/**
 * Shared capacities as SimGrid hosts: a flow is an Exec of `kg` "flops" on a host whose speed is
 * the capacity in kg/min, bounded by the flow's own limit, so SimGrid's LMM solver shares the
 * capacity max-min fairly among the flows running at once. Execs are started from kernel timers
 * (maestro).
 *
 * The adapter owns the life cycle of every flow, and SimGrid is asked about a flow only while its
 * action runs in SimGrid's fluid model:
 *
 *   running --(SimGrid's model finishes it)--> ended --(SimGrid reports it)--> gone, on_done runs
 *      \--(stop)--> gone
 *
 * SimGrid finishes actions while it advances the clock, runs the timers of the new date (our model
 * events) and only then reports the finished activities (on_completion, for maestro's only: our
 * Execs belong to no actor, see ownerless_exec). So at every time advance the adapter reads the
 * models' sets of just-finished actions and marks its flows `ended`: their whole `kg` has moved,
 * and `moved` and `stop` answer from that without touching SimGrid (whose lazy update of a
 * finished action aborts). The remaining amount of a `running` flow is SimGrid's. The calendar
 * then fires at that date, and after its events the adapter reports the ended flows where SimGrid
 * would have (report_ended): each flow's `on_done` runs as a calendar event at that date. A
 * stopped flow is cancelled in SimGrid if it was running and never reports. Exec handles stay
 * alive until SimGrid has handled their end (see retire).
 */
class SimGridCapacities final : public CapacityFactory {
public:
  SimGridCapacities(simgrid::s4u::NetZone& zone, SimGridCalendar& calendar)
      : zone_(&zone), calendar_(&calendar),
        models_(&simgrid::s4u::Engine::get_instance()->get_all_models()) {
    calendar.set_capacities(*this);
  }

  /**
   * A host whose speed is the largest capacity it will have; SimGrid's speed profile scales it at
   * the changes. SimGrid ignores a scale of 0, so a closed capacity suspends its flows instead.
   */
  SharedCapacity& create(const std::string& name, double kg_per_min,
                         const std::vector<CapacityChange>& changes) override {
    if (capacities_.empty()) {
      // Only a simulation with shared capacities pays for a look at every time advance.
      simgrid::s4u::Engine::on_time_advance_cb([this](double) { note_ended(); });
    }
    std::vector<CapacityChange> levels{{0.0, kg_per_min}};
    for (const CapacityChange& change : changes) {
      if (change.at_min == levels.back().at_min) {
        levels.back() = change;
      } else {
        levels.push_back(change);
      }
    }
    double peak = 0;
    for (const CapacityChange& level : levels) {
      peak = std::max(peak, level.kg_per_min);
    }
    simgrid::s4u::Host* host = zone_->create_host(name, peak > 0 ? peak : 1.0);
    capacities_.push_back(std::make_unique<Capacity>(*this, host, levels.front().kg_per_min == 0));
    Capacity* capacity = capacities_.back().get();
    if (levels.size() > 1 || (peak > 0 && levels.front().kg_per_min != peak)) {
      std::string profile;
      for (const CapacityChange& level : levels) {
        if (level.kg_per_min > 0) { // while closed, the scale before stays: nothing runs
          profile += fmt::format("{} {}\n", level.at_min, level.kg_per_min / peak);
        }
      }
      static int profiles = 0; // SimGrid's profiles are named once per process
      host->set_speed_profile(simgrid::kernel::profile::ProfileBuilder::from_string(
          name + "#" + std::to_string(profiles++), profile, -1));
      for (const CapacityChange& level : levels) {
        if (level.at_min > 0) {
          changes_.insert(level.at_min);
          calendar_->schedule(level.at_min, [this, capacity, open = level.kg_per_min > 0] {
            set_closed(*capacity, !open);
          });
        }
      }
    }
    return *capacity;
  }

  /**
   * Whether SimGrid would only move its clock from the calendar's date up to `date`: no flow is in
   * SimGrid (running, suspended, or ended and not yet reported) or waiting to start there, and no
   * capacity changes (a speed profile event) by then.
   */
  bool quiet_through(double date) {
    if (!by_activity_.empty() || !deferred_.empty()) {
      return false;
    }
    return !capacity_changes_by(date);
  }

  /**
   * Whether SimGrid, with the flows it runs now, would only move its clock up to `date`: no flow
   * ended and waits to be reported, none waits to start, no capacity changes by then, and the
   * first flow to end ends after `date` (by a margin far above SimGrid's timing precision, 1e-9:
   * a flow within it of a timer's date ends in that timer's step). Then a local event at `date`
   * may run before SimGrid steps there (see SimGridCalendar::fire).
   *
   * The first end is bounded by earliest_end, which changes only when SimGrid steps or a flow
   * changes: it is kept until then (local events running ahead change neither).
   */
  bool steady_through(double date) {
    if (ended_ > 0 || !deferred_.empty()) {
      return false;
    }
    if (capacity_changes_by(date)) {
      return false;
    }
    if (!earliest_end_known_) {
      earliest_end_ = earliest_end();
      earliest_end_known_ = true;
    }
    constexpr double margin_min = 1e-6;
    return earliest_end_ > date + margin_min;
  }

  /**
   * A date before which no running flow can end, whatever SimGrid's next solve gives it. Where
   * nothing changed since SimGrid's last step, it is the top of the lazy model's action heap.
   * After a change, SimGrid solves at the start of its next step, at its own clock, whichever
   * date that step then goes to; it solves only the capacities whose flows changed (selective
   * update: a flow draws on one capacity), so the others' ends in the heap stand, and the heap's
   * top bounds them. On a changed capacity a flow moves at most at its bound (the least of its
   * own and its capacity's, SimGrid's variable bound): what remained at its last update takes at
   * least remaining / bound from then (a new flow is not in the heap yet). Suspended flows move
   * nothing. 0 (no run ahead) where a flow has no bound or action, or a model's next end cannot
   * be read off a heap (it updates eagerly, or has actions it has not solved).
   */
  double earliest_end() const {
    // Far above SimGrid's rounding of a remaining amount and of a rate against its bound.
    constexpr double slack_kg = 1e-6;
    constexpr double rate_slack = 1 + 1e-9;
    double earliest = std::numeric_limits<double>::infinity();
    for (simgrid::kernel::resource::Model* model : *models_) {
      if (model->get_started_action_set()->empty()) {
        continue;
      }
      if (!model->is_update_lazy() || !model->get_modified_set()->empty()) {
        return 0;
      }
      if (const auto& heap = model->get_action_heap(); !heap.empty()) {
        earliest = std::min(earliest, heap.top_date());
      }
    }
    for (const Capacity* capacity : changed_) {
      for (const Flow* flow : capacity->running) {
        const simgrid::kernel::resource::Action* action = flow->action;
        if (action == nullptr) {
          return 0;
        }
        if (action->is_suspended() || action->get_sharing_penalty() <= 0) {
          continue;
        }
        const double bound = action->get_bound();
        if (!(bound > 0)) {
          return 0;
        }
        const double kg = std::max(0.0, action->get_remains_no_update() - slack_kg);
        earliest = std::min(earliest, action->get_last_update() + kg / (bound * rate_slack));
      }
    }
    return earliest;
  }

  /** Whether a capacity changes after the calendar's date and by `date` (a speed profile event). */
  bool capacity_changes_by(double date) {
    while (!changes_.empty() && *changes_.begin() <= calendar_->now()) {
      changes_.erase(changes_.begin()); // SimGrid has stepped there
    }
    return !changes_.empty() && *changes_.begin() <= date;
  }

  /** SimGrid's clock is the calendar's: the flows started ahead of it start in SimGrid now. */
  void synced() {
    for (const FlowId id : deferred_) {
      if (const auto it = flows_.find(id); it != flows_.end()) { // else the model stopped it
        launch(id, it->second);
      }
    }
    deferred_.clear();
  }

private:
  using FlowId = SharedCapacity::FlowId;
  using ActivityKey = const simgrid::kernel::activity::ActivityImpl*;
  enum class State { deferred, running, ended, reported };
  class Capacity;
  struct Flow {
    simgrid::s4u::ExecPtr exec; // null while deferred and once reported (SimGrid is done with it)
    double kg;                  // what `exec` moves (the rest, after a relaunch)
    double moved_before;        // what earlier execs of the flow moved (relaunch_suspended)
    double bound_kg_per_min;
    State state;
    std::function<void()> on_done;
    Capacity* capacity;
    // While running: its action in SimGrid's model (null if it was not found: see launch).
    const simgrid::kernel::resource::Action* action = nullptr;
  };

  class Capacity final : public SharedCapacity {
  public:
    Capacity(SimGridCapacities& owner, simgrid::s4u::Host* host, bool closed)
        : owner_(&owner), host_(host), closed_(closed) {}
    FlowId start(double kg, double bound_kg_per_min, std::function<void()> on_done) override {
      return owner_->start(*this, kg, bound_kg_per_min, std::move(on_done));
    }
    double moved(FlowId id) const override { return owner_->moved(id); }
    double stop(FlowId id) override { return owner_->stop(id); }

    simgrid::s4u::Host* host() const { return host_; }
    bool closed() const { return closed_; }
    void set_closed(bool closed) { closed_ = closed; }

    std::vector<const Flow*> running; // its flows in state running, for earliest_end
    bool changed = false; // since SimGrid's last solve (then listed in the owner's changed_)

  private:
    SimGridCapacities* owner_;
    simgrid::s4u::Host* host_;
    bool closed_; // capacity 0: its flows are suspended
  };

  /**
   * A flow started by an event running ahead of SimGrid's clock waits (deferred) until SimGrid has
   * stepped to the event's date, which the calendar does before running anything else; until
   * then it has moved nothing, and stopping it only forgets it.
   */
  FlowId start(Capacity& capacity, double kg, double bound_kg_per_min,
               std::function<void()> on_done) {
    check_not_past_flows();
    const FlowId id = next_++;
    Flow& flow = flows_
                     .emplace(id, Flow{nullptr, kg, 0.0, bound_kg_per_min, State::deferred,
                                       std::move(on_done), &capacity})
                     .first->second;
    if (calendar_->ahead()) {
      deferred_.push_back(id);
      calendar_->request_sync();
    } else {
      launch(id, flow);
    }
    return id;
  }

  void launch(FlowId id, Flow& flow) {
    simgrid::s4u::ExecPtr exec = ownerless_exec();
    exec->set_host(flow.capacity->host());
    exec->set_flops_amount(flow.kg);
    exec->set_bound(flow.bound_kg_per_min);
    exec->start();
    if (flow.capacity->closed()) {
      exec->suspend();
    }
    // Its action is the one the model has just added to its started set.
    flow.action = nullptr;
    for (simgrid::kernel::resource::Model* model : *models_) {
      const auto* started = model->get_started_action_set();
      if (!started->empty() && started->back().get_activity() == exec->get_impl()) {
        flow.action = &started->back();
        break;
      }
    }
    by_activity_.emplace(exec->get_impl(), id);
    flow.exec = std::move(exec);
    flow.state = State::running;
    flow.capacity->running.push_back(&flow);
    changed(*flow.capacity);
  }

  /** The flow no longer runs in SimGrid (stopped, ended, or relaunched in a new exec). */
  static void leaves(Flow& flow) {
    std::vector<const Flow*>& running = flow.capacity->running;
    running.erase(std::find(running.begin(), running.end(), &flow));
  }

  /**
   * A flow on `capacity` started, stopped, was suspended, resumed or ended: SimGrid solves the
   * flows on it again at its next step.
   */
  void changed(Capacity& capacity) {
    earliest_end_known_ = false;
    if (!capacity.changed) {
      capacity.changed = true;
      changed_.push_back(&capacity);
    }
  }

  /** A model touched a flow in an event that said it would not (Calendar::Scope::local). */
  void check_not_past_flows() const {
    if (calendar_->past_flows()) {
      throw std::logic_error("an event scheduled as local touched a shared capacity while flows "
                             "ran ahead of it (a model's Calendar::Scope is wrong)");
    }
  }

  /** A capacity closes (its running flows stand still) or opens again (they go on). */
  void set_closed(Capacity& capacity, bool closed) {
    if (capacity.closed() == closed) {
      return;
    }
    capacity.set_closed(closed);
    for (auto& [id, flow] : flows_) {
      if (flow.capacity == &capacity && flow.state == State::running) {
        if (!closed) {
          flow.exec->resume();
        } else if (flow.exec->is_suspended()) {
          relaunch_suspended(id, flow); // resumed once: s4u would not suspend it again
        } else {
          flow.exec->suspend();
        }
        changed(capacity);
      }
    }
  }

  /**
   * SimGrid 3.32's s4u::Activity::resume() leaves the activity marked suspended, so a second
   * suspend() of it does nothing and the flow kept running through a second closure. The flow
   * goes on in a new exec instead, for what is left, launched suspended (the capacity is closed).
   */
  void relaunch_suspended(FlowId id, Flow& flow) {
    const double done = flow.kg - flow.exec->get_remaining();
    flow.moved_before += done;
    flow.kg -= done;
    by_activity_.erase(flow.exec->get_impl());
    flow.exec->cancel();
    retire(std::move(flow.exec));
    leaves(flow);
    launch(id, flow);
  }

  double moved(FlowId id) const {
    check_not_past_flows();
    const Flow& flow = flows_.at(id);
    switch (flow.state) {
    case State::deferred:
      return 0.0;
    case State::running:
      return flow.moved_before + (flow.kg - flow.exec->get_remaining());
    default:
      return flow.moved_before + flow.kg;
    }
  }

  /** The model stops a flow: cancelled in SimGrid if still running there; on_done never runs. */
  double stop(FlowId id) {
    const auto it = flows_.find(id);
    const double kg = moved(id);
    if (it->second.exec) {
      by_activity_.erase(it->second.exec->get_impl());
      if (it->second.state == State::running) {
        it->second.exec->cancel();
        leaves(it->second);
        changed(*it->second.capacity);
      } else if (it->second.state == State::ended) {
        --ended_;
      }
      retire(std::move(it->second.exec));
    }
    flows_.erase(it);
    return kg;
  }

  /**
   * Right after SimGrid advanced the clock: its finished actions that are our flows ended, and
   * are reported once this date's timers have run (the calendar fires at this date for that).
   */
  void note_ended() {
    // SimGrid's step has just solved what changed before it. (Not at every firing: SimGrid may
    // fire twice in one step, and what the first firing changed is solved only at the next.)
    for (Capacity* capacity : changed_) {
      capacity->changed = false;
    }
    changed_.clear();
    earliest_end_known_ = false; // solved anew: the heap gives a tighter bound than one kept
    if (by_activity_.empty()) {
      return;
    }
    for (simgrid::kernel::resource::Model* model : *models_) {
      for (const simgrid::kernel::resource::Action& action : *model->get_finished_action_set()) {
        if (const auto it = by_activity_.find(action.get_activity()); it != by_activity_.end()) {
          Flow& flow = flows_.at(it->second);
          if (flow.state == State::running) {
            flow.state = State::ended;
            ++ended_;
            unreported_.push_back(it->second);
            leaves(flow);
            // SimGrid frees its share of the capacity once this date's timers have run: the
            // flows still running on it get their new rates only when SimGrid's next step solves.
            changed(*flow.capacity);
          }
        }
      }
    }
    if (!unreported_.empty()) {
      calendar_->fire_at_clock();
    }
  }

public:
  /**
   * The flows that ended at this date and were not stopped since: each one's on_done runs in an
   * event at this date, in the order SimGrid finished them. SimGrid would report them
   * (on_completion) right after the timers of this date, and the calendar calls this right after
   * its own timer's events, or when run_until returns if SimGrid stopped there (fire_at_clock).
   */
  void report_ended() {
    for (const FlowId id : unreported_) {
      if (const auto it = flows_.find(id); it != flows_.end() && it->second.state == State::ended) {
        reported(id, it->second);
      }
    }
    unreported_.clear();
  }

private:
  /** A flow's end is reported: the model reacts in an event at this date. */
  void reported(FlowId id, Flow& flow) {
    by_activity_.erase(flow.exec->get_impl());
    --ended_;
    flow.state = State::reported;
    retire(std::move(flow.exec));
    calendar_->schedule(calendar_->now(), [this, id] {
      const auto it = flows_.find(id);
      if (it != flows_.end()) { // else the model stopped it first
        std::function<void()> done = std::move(it->second.on_done);
        flows_.erase(it);
        done();
      }
    });
  }

  /**
   * Keeps a finished or cancelled Exec alive until SimGrid is done with it: it handles ended
   * activities after the timers of the current date, so handles retired earlier than now are free.
   */
  void retire(simgrid::s4u::ExecPtr exec) {
    const double now = calendar_->now();
    std::erase_if(retired_, [now](const auto& retired) { return retired.first < now; });
    retired_.emplace_back(now, std::move(exec));
  }

  simgrid::s4u::NetZone* zone_;
  SimGridCalendar* calendar_;
  const std::vector<simgrid::kernel::resource::Model*>* models_; // SimGrid's, as it adds them
  std::vector<std::unique_ptr<Capacity>> capacities_;
  std::map<FlowId, Flow> flows_;              // until on_done runs or the model stops them
  std::map<ActivityKey, FlowId> by_activity_; // flows SimGrid has not reported yet
  std::vector<std::pair<double, simgrid::s4u::ExecPtr>> retired_;
  std::vector<FlowId> deferred_;   // started ahead of SimGrid's clock, in order
  std::vector<FlowId> unreported_; // ended at this date, in the order SimGrid finished them
  std::set<double> changes_;       // dates at which a capacity changes, not yet reached
  FlowId next_ = 0;
  // The capacities on which a flow started, stopped, was suspended, resumed or ended since
  // SimGrid's last step solved.
  std::vector<Capacity*> changed_;
  bool earliest_end_known_ = false; // earliest_end_ holds: no step or change since it was read
  double earliest_end_ = 0;
  std::size_t ended_ = 0; // flows in state ended (SimGrid has not reported them yet)
};

} // namespace h2sim::engine
