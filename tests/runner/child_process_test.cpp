#include "runner/child_process.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

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
