#include "../support.hpp"
#include "engine/simulation.hpp"
#include "models/scenario_spec.hpp"
#include "runner/child_process.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <set>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

/** The descriptors this process has open. */
std::set<int> open_descriptors() {
  std::set<int> open;
  DIR* listing = ::opendir("/proc/self/fd");
  if (listing == nullptr) {
    return open;
  }
  while (const dirent* entry = ::readdir(listing)) {
    if (entry->d_name[0] != '.' && std::stoi(entry->d_name) != ::dirfd(listing)) {
      open.insert(std::stoi(entry->d_name));
    }
  }
  ::closedir(listing);
  return open;
}

} // namespace

TEST_CASE("children: results come back when the parent's stdin, stdout or stderr are closed") {
  // The pipes then take descriptors 0 to 2, which a child points its stdout and stderr at: every
  // replication of `python3 script.py <&- >&-` failed ("exited with status 0 without a result").
  // Each case runs in a process of its own, whose descriptors it may close.
  const std::vector<std::vector<int>> cases{{0, 1}, {1, 2}, {0, 2}, {0, 1, 2}, {}};
  for (const std::vector<int>& closed : cases) {
    CAPTURE(closed.size());
    std::fflush(nullptr); // nothing buffered is written twice
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      for (const int fd : closed) {
        ::close(fd);
      }
      int right = 0;
      try {
        h2sim::runner::run_in_children(
            4, 2,
            [](std::size_t i) {
              std::puts("a replication that talks"); // to the output pipe, not the result's
              std::fflush(stdout);
              return "result " + std::to_string(i);
            },
            [&](std::size_t i, h2sim::TaskOutcome outcome) {
              right += outcome.output == "result " + std::to_string(i) ? 1 : 0;
              // While children run, the parent holds none of their pipes where its closed
              // standard descriptors were: what its other threads print goes nowhere.
              for (const int fd : closed) {
                right -= ::fcntl(fd, F_GETFD) == -1 ? 0 : 100;
              }
            });
      } catch (...) {
        ::_exit(2);
      }
      ::_exit(right == 4 ? 0 : 1);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
}

TEST_CASE("children: runners on two threads at once hand their pipes to none of each other's "
          "children") {
  // A child forked by one runner that held another's pipe write end kept that runner from seeing
  // its child's end until it exited too; one that held its read ends kept them for nothing. Each
  // task reports the descriptors its process has beyond the test's own: only its result pipe.
  const std::set<int> before = open_descriptors();
  const auto task = [&before](std::size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5)); // both runners have children
    std::string extra;
    for (const int fd : open_descriptors()) {
      if (before.count(fd) == 0) {
        extra += std::to_string(fd) + " ";
      }
    }
    return extra;
  };
  std::vector<std::string> seen[2];
  std::vector<std::thread> threads;
  for (std::vector<std::string>& outputs : seen) {
    threads.emplace_back([&task, &outputs] {
      h2sim::runner::run_in_children(30, 2, task, [&outputs](std::size_t, h2sim::TaskOutcome o) {
        outputs.push_back(o.output.value_or("failed: " + o.error));
      });
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (const std::vector<std::string>& outputs : seen) {
    REQUIRE(outputs.size() == 30);
    for (const std::string& extra : outputs) {
      CAPTURE(extra);
      // one descriptor: its result pipe's write end
      CHECK(std::count(extra.begin(), extra.end(), ' ') == 1);
    }
  }
  CHECK(open_descriptors() == before);
}

TEST_CASE("children: a fork by other code while a runner makes its pipes gives a child that runs") {
  // Python's multiprocessing (or os.fork) forking while another thread's runner held the pipe
  // lock gave a child whose first run waited for that lock forever. Each child here runs one task
  // and exits; one that has not exited within 20 s is killed and counted.
  std::atomic<bool> stop{false};
  std::thread runner([&stop] {
    while (!stop) {
      h2sim::runner::run_in_children(
          20, 2, [](std::size_t i) { return std::to_string(i); },
          [](std::size_t, h2sim::TaskOutcome) {});
    }
  });
  int hung = 0;
  int failed = 0;
  for (int fork_number = 0; fork_number < 100; ++fork_number) {
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      bool ran = false;
      try {
        h2sim::runner::run_in_children(
            1, 1, [](std::size_t) { return std::string("ran"); },
            [&ran](std::size_t, h2sim::TaskOutcome outcome) { ran = outcome.output == "ran"; });
      } catch (...) {
        ::_exit(2);
      }
      ::_exit(ran ? 0 : 1);
    }
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        ++hung;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    failed += WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
  }
  stop = true;
  runner.join();
  CHECK(hung == 0);
  CHECK(failed == 0);
}

TEST_CASE("children: a replication goes on through a Ctrl-C its parent does not end on") {
  // A terminal's Ctrl-C reaches every process of its group. A Python program that handles or
  // ignores it (a flag its handler sets, a Pool's worker) went on with fewer replications than it
  // asked for: SimGrid's engine had put in a handler of its own that exit(1)s, and it outlives the
  // engine: each replication here is told Ctrl-C once its engine has run.
  const h2sim::Scenario scenario = h2sim::load_scenario(h2sim::test::one_station(10, 2, "4"));
  std::vector<std::string> outputs;
  h2sim::runner::run_in_children(
      2, 2,
      [&scenario](std::size_t i) {
        const h2sim::engine::ReplicationResult result = h2sim::engine::simulate(
            h2sim::models::spec_of(scenario), 7, i, {.tally_on_thread = true});
        ::raise(SIGINT);
        struct sigaction now {};
        ::sigaction(SIGINT, nullptr, &now);
        return std::string(now.sa_handler == SIG_IGN ? "ignored" : "handled") + " after " +
               std::to_string(result.events) + " events";
      },
      [&outputs](std::size_t, h2sim::TaskOutcome o) {
        outputs.push_back(o.output.value_or("failed: " + o.error));
      });
  REQUIRE(outputs.size() == 2);
  for (const std::string& output : outputs) {
    CAPTURE(output);
    CHECK(output.starts_with("ignored after "));
  }
}
