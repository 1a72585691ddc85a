#include "child_process.hpp"

#include <h2sim/h2sim.hpp>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace h2sim::runner {

namespace {

struct Child {
  std::size_t task;
  pid_t pid;
  int fd; // read end of the pipe carrying the child's result
  std::string output;
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

[[noreturn]] void child_main(int fd, pid_t parent, std::size_t task,
                             const std::function<std::string(std::size_t)>& run) {
  // A child must not outlive the command that started it (Ctrl-C, a killed parent).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) {
    ::_exit(4);
  }
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

std::string exit_reason(int status) {
  if (WIFSIGNALED(status)) {
    return std::string("killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  }
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

/** Kills and reaps every child still running; used when the command fails. */
void stop_all(std::vector<Child>& running) {
  for (Child& child : running) {
    ::kill(child.pid, SIGKILL);
    ::close(child.fd);
    reap(child.pid);
  }
  running.clear();
}

} // namespace

std::vector<std::string> run_in_children(
    std::size_t tasks, int jobs, const std::function<std::string(std::size_t)>& task,
    const std::function<std::string(std::size_t)>& describe,
    const std::function<void(std::size_t, std::size_t)>& on_progress) {
  std::vector<std::string> results(tasks);
  std::vector<Child> running;
  std::size_t next = 0;
  std::size_t finished = 0;
  const pid_t parent = ::getpid();
  std::fflush(nullptr); // nothing buffered may be written twice
  try {
    while (next < tasks || !running.empty()) {
      while (next < tasks && running.size() < static_cast<std::size_t>(jobs)) {
        int fds[2];
        if (::pipe(fds) != 0) {
          throw RunError(std::string("cannot create a pipe: ") + std::strerror(errno));
        }
        const pid_t pid = ::fork();
        if (pid < 0) {
          ::close(fds[0]);
          ::close(fds[1]);
          throw RunError(std::string("cannot fork: ") + std::strerror(errno));
        }
        if (pid == 0) {
          ::close(fds[0]);
          for (const Child& sibling : running) {
            ::close(sibling.fd);
          }
          child_main(fds[1], parent, next, task);
        }
        ::close(fds[1]);
        running.push_back(Child{next, pid, fds[0], {}});
        ++next;
      }
      // Read from whichever children have something to say; a finished child frees its slot.
      std::vector<pollfd> polls;
      for (const Child& child : running) {
        polls.push_back(pollfd{child.fd, POLLIN, 0});
      }
      if (::poll(polls.data(), polls.size(), -1) < 0 && errno != EINTR) {
        throw RunError(std::string("cannot wait for replications: ") + std::strerror(errno));
      }
      for (std::size_t i = polls.size(); i-- > 0;) {
        if (polls[i].revents == 0) {
          continue;
        }
        Child& child = running[i];
        char buffer[65536];
        const ssize_t n = ::read(child.fd, buffer, sizeof buffer);
        if (n > 0) {
          child.output.append(buffer, static_cast<std::size_t>(n));
          continue;
        }
        if (n < 0 && errno == EINTR) {
          continue;
        }
        ::close(child.fd);
        const int status = reap(child.pid);
        Child done = std::move(child);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
          throw RunError(describe(done.task) + " failed: " + exit_reason(status));
        }
        results[done.task] = std::move(done.output);
        if (on_progress) {
          on_progress(++finished, tasks);
        }
      }
    }
  } catch (...) {
    stop_all(running);
    throw;
  }
  return results;
}

} // namespace h2sim::runner
