#include "child_process.hpp"

#include <h2sim/h2sim.hpp>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <sys/wait.h>
#include <unistd.h>

namespace h2sim::runner {

namespace {

struct Child {
  std::size_t task;
  pid_t pid;
  int fd; // read end of the pipe carrying the child's result
};

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      ::_exit(3);
    }
    done += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void child_main(int fd, std::size_t task,
                             const std::function<std::string(std::size_t)>& run) {
  int status = 0;
  try {
    write_all(fd, run(task));
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    status = 1;
  } catch (...) {
    status = 1;
  }
  ::close(fd);
  std::fflush(nullptr);
  ::_exit(status); // no atexit handlers or static destructors of the parent's copy
}

std::string read_all(int fd) {
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

std::string exit_reason(int status) {
  if (WIFSIGNALED(status)) {
    return std::string("killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  }
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

} // namespace

std::vector<std::string> run_in_children(
    std::size_t tasks, int jobs, const std::function<std::string(std::size_t)>& task,
    const std::function<std::string(std::size_t)>& describe,
    const std::function<void(std::size_t, std::size_t)>& on_progress) {
  std::size_t finished = 0;
  std::vector<std::string> results(tasks);
  std::deque<Child> running;
  std::size_t next = 0;
  std::string failure;
  std::fflush(nullptr); // nothing buffered may be written twice
  while ((next < tasks && failure.empty()) || !running.empty()) {
    while (failure.empty() && next < tasks && running.size() < static_cast<std::size_t>(jobs)) {
      int fds[2];
      if (::pipe(fds) != 0) {
        throw RunError(std::string("cannot create a pipe: ") + std::strerror(errno));
      }
      const pid_t pid = ::fork();
      if (pid < 0) {
        throw RunError(std::string("cannot fork: ") + std::strerror(errno));
      }
      if (pid == 0) {
        ::close(fds[0]);
        for (const Child& sibling : running) {
          ::close(sibling.fd);
        }
        child_main(fds[1], next, task);
      }
      ::close(fds[1]);
      running.push_back(Child{next, pid, fds[0]});
      ++next;
    }
    // Oldest first: results are read in task order, so a later child that finishes early simply
    // waits, blocked on its pipe, until its turn.
    Child child = running.front();
    running.pop_front();
    std::string output = read_all(child.fd);
    int status = 0;
    while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      results[child.task] = std::move(output);
      if (on_progress) {
        on_progress(++finished, tasks);
      }
    } else if (failure.empty()) {
      failure = describe(child.task) + " failed: " + exit_reason(status);
    }
  }
  if (!failure.empty()) {
    throw RunError(failure);
  }
  return results;
}

} // namespace h2sim::runner
