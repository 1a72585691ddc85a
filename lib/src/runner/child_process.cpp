#include "child_process.hpp"

#include <h2sim/h2sim.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace h2sim::runner {

namespace {

// A child's result on its pipe is one frame: a tag byte, then the task's output (ok_tag) or the
// message of what it threw (error_tag). The exit status vouches that the frame is whole: a child
// writes it completely, then exits 0 (ok) or 1 (error); a failed write exits 3.
constexpr char ok_tag = 'o';
constexpr char error_tag = 'e';
constexpr int error_status = 1;
constexpr int write_failed_status = 3;

struct Child {
  std::size_t task;
  pid_t pid;
  int fd; // read end of the pipe carrying the child's result
  std::string frame;
};

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      ::_exit(write_failed_status);
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
  std::string frame;
  try {
    frame = ok_tag + run(task);
  } catch (const std::exception& e) {
    frame = error_tag + std::string(e.what());
    status = error_status;
  } catch (...) {
    frame = error_tag + std::string("threw something other than a std::exception");
    status = error_status;
  }
  write_all(fd, frame);
  ::close(fd);
  std::fflush(nullptr);
  ::_exit(status); // no atexit handlers or static destructors of the parent's copy
}

std::string exit_reason(int status) {
  if (WIFSIGNALED(status)) {
    return std::string("killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == write_failed_status) {
    return "could not send its result (exited with status " + std::to_string(write_failed_status) +
           ")";
  }
  return "exited with status " + std::to_string(WEXITSTATUS(status)) + " without a result";
}

TaskOutcome outcome(const std::string& frame, int status) {
  const bool exited = WIFEXITED(status);
  if (exited && WEXITSTATUS(status) == 0 && !frame.empty() && frame.front() == ok_tag) {
    return TaskOutcome{frame.substr(1), {}};
  }
  if (exited && WEXITSTATUS(status) == error_status && !frame.empty() &&
      frame.front() == error_tag) {
    return TaskOutcome{std::nullopt, frame.substr(1)};
  }
  return TaskOutcome{std::nullopt, exit_reason(status)};
}

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

/** Kills and reaps every child still running; used when the runner itself fails. */
void stop_all(std::vector<Child>& running) {
  for (Child& child : running) {
    ::kill(child.pid, SIGKILL);
    ::close(child.fd);
    reap(child.pid);
  }
  running.clear();
}

} // namespace

void run_in_children(std::size_t tasks, int jobs,
                     const std::function<std::string(std::size_t)>& task,
                     const std::function<void(std::size_t, TaskOutcome)>& on_outcome) {
  std::vector<Child> running;
  std::size_t next = 0;
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
          child.frame.append(buffer, static_cast<std::size_t>(n));
          continue;
        }
        if (n < 0 && errno == EINTR) {
          continue;
        }
        ::close(child.fd);
        const int status = reap(child.pid);
        Child done = std::move(child);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
        on_outcome(done.task, outcome(done.frame, status));
      }
    }
  } catch (...) {
    stop_all(running);
    throw;
  }
}

} // namespace h2sim::runner
