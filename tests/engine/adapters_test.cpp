// The engine's SimGrid adapters driven directly: a calendar and shared capacities on a SimGrid
// engine of their own, in a child process (SimGrid allows one engine per process).
#include "engine/simgrid_adapters.hpp"

#include <doctest/doctest.h>
#include <simgrid/s4u.hpp>
#include <spdlog/fmt/fmt.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

/** What `body` returns, computed in a child process; "child failed" if it did not finish. */
std::string in_child(const std::function<std::string()>& body) {
  std::fflush(nullptr); // else the child writes what the parent had buffered again
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    const std::string out = body();
    std::size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = write(fds[1], out.data() + done, out.size() - done);
      if (n <= 0) {
        _exit(3);
      }
      done += static_cast<std::size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string out;
  char buffer[256];
  for (ssize_t n = 0; (n = read(fds[0], buffer, sizeof buffer)) > 0;) {
    out.append(buffer, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? out : "child failed";
}

using Setup = std::function<void(h2sim::engine::SimGridCalendar&, h2sim::SharedCapacity&,
                                 std::vector<std::string>&)>;
using SetupOf =
    std::function<void(h2sim::engine::SimGridCalendar&, std::vector<h2sim::SharedCapacity*>&,
                       std::vector<std::string>&)>;

/**
 * A SimGrid engine with capacities of 1 kg/min named `names`; `setup` schedules events on the
 * calendar and starts flows, the run goes to each of `limits` in turn (logging where each
 * run_until returned when there are several), and the result is what was logged.
 */
std::string run(const std::vector<double>& limits, const std::vector<std::string>& names,
                const SetupOf& setup) {
  return in_child([&] {
    h2sim::engine::EngineArgs args;
    simgrid::s4u::Engine engine(args.argc(), args.argv());
    auto* zone = simgrid::s4u::create_full_zone("test");
    std::vector<std::string> log;
    {
      h2sim::engine::SimGridCalendar calendar;
      h2sim::engine::SimGridCapacities capacities(*zone, calendar);
      std::vector<h2sim::SharedCapacity*> created;
      for (const std::string& name : names) {
        created.push_back(&capacities.create(name, 1.0, {}));
      }
      zone->seal();
      setup(calendar, created, log);
      for (const double limit : limits) {
        calendar.run_until(engine, limit);
        calendar.rethrow_failure();
        if (limits.size() > 1) {
          log.push_back(fmt::format("returned at {}", engine.get_clock()));
        }
      }
    }
    std::string out;
    for (const std::string& line : log) {
      out += line + "\n";
    }
    return out;
  });
}

/** The same with one capacity, "pipe". */
std::string run(const std::vector<double>& limits, const Setup& setup) {
  return run(limits, {"pipe"},
             [&](auto& calendar, auto& created, auto& log) { setup(calendar, *created[0], log); });
}

std::string run(double until, const Setup& setup) { return run(std::vector<double>{until}, setup); }

/** Logs where SimGrid's clock goes at each of its time advances. */
void log_steps(std::vector<std::string>& log) {
  simgrid::s4u::Engine::on_time_advance_cb([&](double) {
    log.push_back(fmt::format("SimGrid at {}", simgrid::s4u::Engine::get_clock()));
  });
}

} // namespace

TEST_CASE("engine adapters: a flow's end is reported after the events of its date, "
          "those they schedule at that date included") {
  // SimGrid reports a finished activity after the timers of the date it finishes. The flow of
  // 60 kg at 1 kg/min ends at 60, where an event (scheduled first) schedules another at 60: both
  // run before the flow's on_done, as they did when SimGrid's on_completion reported it.
  const std::string logged = run(1000, [](auto& calendar, auto& pipe, auto& log) {
    calendar.schedule(0, [&] {
      pipe.start(60, 10, [&] { log.push_back(fmt::format("done at {}", calendar.now())); });
    });
    calendar.schedule(60, [&] {
      log.emplace_back("event at 60");
      calendar.schedule(calendar.now(), [&] { log.emplace_back("its follower at 60"); });
    });
  });
  CHECK(logged == "event at 60\nits follower at 60\ndone at 60\n");
}

TEST_CASE("engine adapters: a flow ending where no event is due is reported at its end") {
  // Two flows share the capacity (0.5 kg/min each): 15 kg ends at 30; the other then has
  // 30 - 15 = 15 kg left at 1 kg/min, so it ends at 45.
  const std::string logged = run(1000, [](auto& calendar, auto& pipe, auto& log) {
    calendar.schedule(0, [&] {
      pipe.start(15, 10, [&] { log.push_back(fmt::format("15 kg done at {}", calendar.now())); });
      pipe.start(30, 10, [&] { log.push_back(fmt::format("30 kg done at {}", calendar.now())); });
    });
  });
  CHECK(logged == "15 kg done at 30\n30 kg done at 45\n");
}

TEST_CASE("engine adapters: a flow stopped at the date it ends has moved all and never reports") {
  const std::string logged = run(1000, [](auto& calendar, auto& pipe, auto& log) {
    auto id = std::make_shared<h2sim::SharedCapacity::FlowId>();
    calendar.schedule(0,
                      [&, id] { *id = pipe.start(60, 10, [&] { log.emplace_back("reported"); }); });
    calendar.schedule(60, [&, id] {
      log.push_back(fmt::format("stopped at {} having moved {}", calendar.now(), pipe.stop(*id)));
    });
    calendar.schedule(100, [&] { log.emplace_back("later event"); });
  });
  CHECK(logged == "stopped at 60 having moved 60\nlater event\n");
}

TEST_CASE("engine adapters: a flow ending within 1e-5 of run_until's limit, no event due, reports "
          "when run_until has returned, its on_done in the next run_until") {
  // SimGrid's run_until stops within 1e-5 of its limit; it had reported the flow, and the event
  // that scheduled ran at the next run_until's first step.
  const double end = 100 - std::ldexp(1.0, -20);
  const std::string logged = run({100, 200}, [end](auto& calendar, auto& pipe, auto& log) {
    calendar.schedule(0, [&, end] {
      pipe.start(end, 10, [&] { log.push_back(fmt::format("done at {}", calendar.now())); });
    });
  });
  CHECK(logged == "returned at 99.99999904632568\ndone at 99.99999904632568\nreturned at 200\n");
}

TEST_CASE("engine adapters: a flow started by an event at another flow's end date keeps local "
          "events from running ahead of its own end") {
  // At 60, A ends and an event starts X (1 kg, ends at 61). SimGrid runs that date's events and
  // then A's on_done in one step, before it has solved X: a local event at 61.5 must still wait
  // for SimGrid to step to X's end.
  const std::string logged = run(1000, [](auto& calendar, auto& pipe, auto& log) {
    calendar.schedule(0, [&] {
      pipe.start(60, 10, [&] { log.push_back(fmt::format("A done at {}", calendar.now())); });
    });
    calendar.schedule(60, [&] {
      pipe.start(1, 10, [&] { log.push_back(fmt::format("X done at {}", calendar.now())); });
    });
    calendar.schedule(
        61.5, [&] { log.push_back(fmt::format("local at {}", calendar.now())); },
        h2sim::Calendar::Scope::local);
  });
  CHECK(logged == "A done at 60\nX done at 61\nlocal at 61.5\n");
}

TEST_CASE("engine adapters: flows ending together report in the order of SimGrid's finished set, "
          "after the events of their date") {
  // handle_ended_actions reported (on_completion) in the order it pops the model's finished set,
  // the order note_ended reads it in; SimGrid's lazy CPU model puts the later-started first.
  const std::string logged = run(1000, [](auto& calendar, auto& pipe, auto& log) {
    calendar.schedule(0, [&] {
      pipe.start(30, 10, [&] { log.push_back(fmt::format("first done at {}", calendar.now())); });
      pipe.start(30, 10, [&] { log.push_back(fmt::format("second done at {}", calendar.now())); });
    });
    calendar.schedule(60, [&] { log.emplace_back("event at 60"); });
  });
  CHECK(logged == "event at 60\nsecond done at 60\nfirst done at 60\n");
}

TEST_CASE("engine adapters: a flow's end speeds up the flows left, and local events wait for "
          "SimGrid to solve their new rates") {
  // A (15 kg) and B (30 kg) share 1 kg/min: A ends at 30, B then has 15 kg left at 1 kg/min and
  // ends at 45. SimGrid frees A's share after that date's timers and solves B's new end only at
  // its next step: until then its action heap still says 60, and local events at 40 and 50 must
  // not run ahead on it (they did: B was reported after 50, at 45).
  const std::string logged = run(1000, [](auto& calendar, auto& pipe, auto& log) {
    calendar.schedule(0, [&] {
      pipe.start(15, 10, [&] { log.push_back(fmt::format("A done at {}", calendar.now())); });
      pipe.start(30, 10, [&] { log.push_back(fmt::format("B done at {}", calendar.now())); });
    });
    for (const double at : {31.0, 40.0, 50.0, 55.0}) {
      calendar.schedule(
          at, [&] { log.push_back(fmt::format("local at {}", calendar.now())); },
          h2sim::Calendar::Scope::local);
    }
  });
  CHECK(logged ==
        "A done at 30\nlocal at 31\nlocal at 40\nB done at 45\nlocal at 50\nlocal at 55\n");
}

TEST_CASE("engine adapters: after a flow is restarted, local events run ahead of SimGrid only "
          "before the new flow could end at its bound") {
  // At 10 a shared event stops A (100 kg) and starts B (5 kg): at most 1 kg/min (the capacity),
  // B cannot end before 15, so the local events at 12 and 14 run before SimGrid solves B (no
  // step at 12); it ends at 15, and the local event at 16 waits for that.
  const std::string logged = run(1000, [](auto& calendar, auto& pipe, auto& log) {
    log_steps(log);
    auto a = std::make_shared<h2sim::SharedCapacity::FlowId>();
    calendar.schedule(0, [&, a] { *a = pipe.start(100, 10, [&] { log.emplace_back("A done"); }); });
    calendar.schedule(10, [&, a] {
      log.push_back(fmt::format("A stopped at 10 having moved {}", pipe.stop(*a)));
      pipe.start(5, 10, [&] { log.push_back(fmt::format("B done at {}", calendar.now())); });
    });
    for (const double at : {12.0, 14.0, 16.0}) {
      calendar.schedule(
          at, [&] { log.push_back(fmt::format("local at {}", calendar.now())); },
          h2sim::Calendar::Scope::local);
    }
  });
  // (Once B is done no flow runs: the event at 16 runs ahead too, and SimGrid follows.)
  CHECK(logged == "SimGrid at 0\nSimGrid at 10\nA stopped at 10 having moved 10\nlocal at 12\n"
                  "local at 14\nSimGrid at 14\nSimGrid at 15\nB done at 15\nlocal at 16\n"
                  "SimGrid at 16\nSimGrid at 1000\n");
}

TEST_CASE("engine adapters: a restart on one capacity lets local events run ahead only before "
          "another capacity's flow ends") {
  // Two capacities of 1 kg/min. On "other", X (13 kg) ends at 13. At 10 "pipe" restarts (A
  // stopped, B of 10 kg started: not before 20). SimGrid solves only "pipe" again, so X's end in
  // its heap stands and bounds the run ahead: the local event at 12 runs before SimGrid steps,
  // the one at 14 only after X is done.
  const std::string logged =
      run({16}, {"pipe", "other"}, [](auto& calendar, auto& created, auto& log) {
        h2sim::SharedCapacity& pipe = *created[0];
        h2sim::SharedCapacity& other = *created[1];
        log_steps(log);
        auto a = std::make_shared<h2sim::SharedCapacity::FlowId>();
        calendar.schedule(0, [&, a] {
          *a = pipe.start(100, 10, [] {});
          other.start(13, 10, [&] { log.push_back(fmt::format("X done at {}", calendar.now())); });
        });
        calendar.schedule(10, [&, a] {
          pipe.stop(*a);
          pipe.start(10, 10, [] {});
        });
        for (const double at : {12.0, 14.0}) {
          calendar.schedule(
              at, [&] { log.push_back(fmt::format("local at {}", calendar.now())); },
              h2sim::Calendar::Scope::local);
        }
      });
  // (After X, B's end in the heap, 20, lets the event at 14 run ahead too.)
  CHECK(logged == "SimGrid at 0\nSimGrid at 10\nlocal at 12\nSimGrid at 12\nSimGrid at 13\n"
                  "X done at 13\nlocal at 14\nSimGrid at 14\nSimGrid at 16\n");
}
