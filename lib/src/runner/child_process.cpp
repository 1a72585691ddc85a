#include "child_process.hpp"

#include "../core/held_interrupt.hpp"

#include <h2sim/h2sim.hpp>
#include <h2sim/log.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <new>
#include <optional>
#include <poll.h>
#include <pthread.h>
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

// What a child writes to its stdout and stderr (SimGrid's own messages, a sanitizer's report, a
// library's complaint before it exits) never reaches the caller's: it goes down a second pipe, the
// parent passes it to the logger, and the end of it explains a child that died without a frame.
constexpr std::size_t output_kept = 16384;

// The read ends of every pipe the runners of this process hold, and one lock over making pipes,
// forking and closing them. Runners on two threads at once (a Python program running two scenarios
// on a thread pool) would otherwise hand their pipes to each other's children: a child holding
// another runner's write end keeps that runner from seeing its own child's end until it exits, and
// holds its read ends open for nothing. Under the lock, a runner's write ends exist only between
// making a pipe and forking, and a new child closes every read end listed.
struct PipeEnds {
  std::mutex lock;
  std::vector<int> read_ends;
};

// Constant-initialised (no guard a fork could catch half-taken).
constinit PipeEnds pipe_ends;

// Whether this thread holds pipe_ends.lock (a runner making pipes and forking).
thread_local bool holds_pipe_lock = false;

/**
 * In the child of every fork of the process (a runner's, or other code's: Python's multiprocessing,
 * os.fork), run by fork itself. A fork by other code while a runner held the lock gave a child
 * whose first run waited for it forever: the thread holding it is not in the child. So the lock is
 * made anew. The runners' read ends are closed where the list is whole: the forking runner's own
 * child, or a fork while no thread held the lock. Otherwise a thread may have been changing the
 * list, which is then forgotten (its storage leaked), its descriptors left open, as they were
 * before runners listed them. (Taking the lock before a fork instead would deadlock: a thread
 * waiting for it inside fork holds fork's own lock, which the runner holding it needs to fork.)
 */
void after_fork_in_child() {
  PipeEnds& ends = pipe_ends;
  const bool whole = holds_pipe_lock || ends.lock.try_lock();
  if (whole) {
    for (const int read_end : ends.read_ends) {
      ::close(read_end);
    }
    ends.read_ends.clear();
  } else {
    new (&ends.read_ends) std::vector<int>();
  }
  holds_pipe_lock = false;
  new (&ends.lock) std::mutex;
}

/** The pipe lock, held by this thread; holds_pipe_lock says so to a fork's child. */
class PipeLock {
public:
  PipeLock() : hold_(pipe_ends.lock) { holds_pipe_lock = true; }
  PipeLock(const PipeLock&) = delete;
  PipeLock& operator=(const PipeLock&) = delete;
  ~PipeLock() {
    if (hold_.owns_lock()) {
      holds_pipe_lock = false;
    }
  }
  void unlock() {
    holds_pipe_lock = false;
    hold_.unlock();
  }
  /** In the forking runner's child, where fork made the lock anew: nothing to unlock. */
  void forget() { (void)hold_.release(); }

private:
  std::unique_lock<std::mutex> hold_;
};

// Fork calls after_fork_in_child from the start: registered while the program (or the Python
// module) loads, before any thread could fork, not at a first run, whose guard a fork by another
// thread could catch half-taken (its child then waited for it forever).
const bool after_fork_registered = ::pthread_atfork(nullptr, nullptr, &after_fork_in_child) == 0;

void register_after_fork() {
  if (!after_fork_registered) {
    throw RunError("cannot register what a fork's child does with the replications' pipes");
  }
}

/** Closes a read end a runner held and no longer lists it; `fd` becomes -1. */
void release(int& fd) {
  if (fd < 0) {
    return;
  }
  PipeEnds& ends = pipe_ends;
  const std::lock_guard<std::mutex> hold(ends.lock);
  ends.read_ends.erase(std::remove(ends.read_ends.begin(), ends.read_ends.end(), fd),
                       ends.read_ends.end());
  ::close(fd);
  fd = -1;
}

/**
 * A pipe whose ends are both above the standard descriptors. A parent whose stdin, stdout or
 * stderr were closed (`python3 script.py <&- >&-`) would get pipes at 0, 1 or 2: a child pointing
 * its stdout and stderr at its output pipe then overwrote its result pipe, and anything the
 * parent's other threads wrote to stdout went down a replication's pipe.
 */
bool make_pipe(int (&fds)[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return false;
  }
  for (int& end : fds) {
    if (end <= STDERR_FILENO) {
      const int moved = ::fcntl(end, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
      const int error = errno;
      ::close(end);
      end = moved;
      errno = error;
    }
  }
  if (fds[0] < 0 || fds[1] < 0) {
    const int error = errno;
    for (int end : fds) {
      if (end >= 0) {
        ::close(end);
      }
    }
    errno = error;
    return false;
  }
  return true;
}

struct Child {
  std::size_t task;
  pid_t pid;
  int fd;     // read end of the pipe carrying the child's result
  int out_fd; // read end of the pipe carrying its stdout and stderr
  std::string frame;
  std::string output; // the last output_kept bytes of it
};

void keep_tail(std::string& output, const char* data, std::size_t size) {
  output.append(data, size);
  if (output.size() > output_kept) {
    output.erase(0, output.size() - output_kept);
  }
}

/** Reads what is there (or, once the child is gone, everything) of its output. */
bool read_output(Child& child) {
  if (child.out_fd < 0) {
    return false;
  }
  char buffer[4096];
  const ssize_t n = ::read(child.out_fd, buffer, sizeof buffer);
  if (n > 0) {
    keep_tail(child.output, buffer, static_cast<std::size_t>(n));
    return true;
  }
  if (n < 0 && errno == EINTR) {
    return true;
  }
  release(child.out_fd); // the end of it (poll ignores a negative descriptor)
  return false;
}

/** The last non-empty line of a child's output, at most 500 bytes. */
std::string last_line(const std::string& output) {
  std::size_t end = output.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) {
    return {};
  }
  const std::size_t begin = output.rfind('\n', end);
  std::string line = output.substr(begin == std::string::npos ? 0 : begin + 1,
                                   end + 1 - (begin == std::string::npos ? 0 : begin + 1));
  if (line.size() > 500) {
    line = "..." + line.substr(line.size() - 500);
  }
  return line;
}

void log_output(const Child& child, bool failed) {
  if (child.output.empty()) {
    return; // nor take the logger's lock, which a fork by another thread may have caught held
  }
  std::size_t begin = 0;
  const auto log = logger();
  while (begin < child.output.size()) {
    std::size_t end = child.output.find('\n', begin);
    if (end == std::string::npos) {
      end = child.output.size();
    }
    if (end > begin) {
      log->log(failed ? spdlog::level::warn : spdlog::level::debug, "replication process {}: {}",
               child.pid, std::string_view(child.output).substr(begin, end - begin));
    }
    begin = end + 1;
  }
}

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

[[noreturn]] void child_main(int fd, int out_fd, pid_t parent, std::size_t task,
                             const std::function<std::string(std::size_t)>& run) {
  // A child must not outlive the command that started it (Ctrl-C, a killed parent).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) {
    ::_exit(4);
  }
  // A reader of the event log that went away (a FIFO whose reader exits) fails the write with
  // EPIPE, which the replication reports ("cannot write the event log: Broken pipe"), rather than
  // killing it without a word. The child writes nowhere else but to its parent.
  ::signal(SIGPIPE, SIG_IGN);
  // A terminal's Ctrl-C reaches the whole process group, children too, and it is the parent's to
  // act on: a parent it ends takes its children along (PR_SET_PDEATHSIG above), one that goes on
  // (a Python program that handles or ignores it, `h2sim ... &` in a script) keeps them running,
  // where they would have died and been counted as failed replications.
  ::signal(SIGINT, SIG_IGN);
  // Held off since before the fork (run_in_children), so that the parent's handler never ran here.
  sigset_t interrupt;
  sigemptyset(&interrupt);
  sigaddset(&interrupt, SIGINT);
  pthread_sigmask(SIG_UNBLOCK, &interrupt, nullptr);
  if (::dup2(out_fd, STDOUT_FILENO) < 0 || ::dup2(out_fd, STDERR_FILENO) < 0) {
    ::_exit(write_failed_status);
  }
  ::close(out_fd);
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

TaskOutcome outcome(const Child& child, int status) {
  const std::string& frame = child.frame;
  const bool exited = WIFEXITED(status);
  if (exited && WEXITSTATUS(status) == 0 && !frame.empty() && frame.front() == ok_tag) {
    return TaskOutcome{frame.substr(1), {}};
  }
  if (exited && WEXITSTATUS(status) == error_status && !frame.empty() &&
      frame.front() == error_tag) {
    return TaskOutcome{std::nullopt, frame.substr(1)};
  }
  const std::string said = last_line(child.output);
  return TaskOutcome{std::nullopt, exit_reason(status) + (said.empty() ? "" : ": " + said)};
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
    release(child.fd);
    release(child.out_fd);
    reap(child.pid);
  }
  running.clear();
}

} // namespace

void run_in_children(std::size_t tasks, int jobs,
                     const std::function<std::string(std::size_t)>& task,
                     const std::function<void(std::size_t, TaskOutcome)>& on_outcome,
                     const std::function<bool()>& cancelled) {
  register_after_fork();
  std::vector<Child> running;
  std::size_t next = 0;
  const pid_t parent = ::getpid();
  std::fflush(nullptr); // nothing buffered may be written twice
  try {
    while (next < tasks || !running.empty()) {
      while (next < tasks && running.size() < static_cast<std::size_t>(jobs)) {
        int fds[2];
        int out_fds[2];
        PipeLock hold;
        if (!make_pipe(fds)) {
          throw RunError(std::string("cannot create a pipe: ") + std::strerror(errno));
        }
        if (!make_pipe(out_fds)) {
          ::close(fds[0]);
          ::close(fds[1]);
          throw RunError(std::string("cannot create a pipe: ") + std::strerror(errno));
        }
        // Ctrl-C is held off across the fork: the child ignores it before it can come
        // (child_main); the parent is told of it once the fork is done.
        std::optional<HeldInterrupt> held(std::in_place);
        const pid_t pid = ::fork();
        if (pid != 0) {
          held.reset();
        }
        if (pid < 0) {
          for (int fd : {fds[0], fds[1], out_fds[0], out_fds[1]}) {
            ::close(fd);
          }
          throw RunError(std::string("cannot fork: ") + std::strerror(errno));
        }
        if (pid == 0) {
          // Every runner's read ends, this one's siblings' among them, are closed and the lock
          // made anew (after_fork_in_child): the child may run children of its own (a warm-up's
          // pilot). The lock it held is no longer its to unlock.
          hold.forget();
          ::close(fds[0]);
          ::close(out_fds[0]);
          child_main(fds[1], out_fds[1], parent, next, task);
        }
        ::close(fds[1]);
        ::close(out_fds[1]);
        pipe_ends.read_ends.insert(pipe_ends.read_ends.end(), {fds[0], out_fds[0]});
        hold.unlock();
        running.push_back(Child{next, pid, fds[0], out_fds[0], {}, {}});
        ++next;
      }
      // Read from whichever children have something to say; a finished child frees its slot.
      // With a cancellation check, look at least ten times a second.
      std::vector<pollfd> polls;
      for (const Child& child : running) {
        polls.push_back(pollfd{child.fd, POLLIN, 0});
        polls.push_back(pollfd{child.out_fd, POLLIN, 0});
      }
      if (::poll(polls.data(), polls.size(), cancelled ? 100 : -1) < 0 && errno != EINTR) {
        throw RunError(std::string("cannot wait for replications: ") + std::strerror(errno));
      }
      if (cancelled && cancelled()) {
        throw Cancelled("the run was cancelled");
      }
      for (std::size_t i = running.size(); i-- > 0;) {
        Child& child = running[i];
        if (polls[2 * i + 1].revents != 0) {
          read_output(child);
        }
        if (polls[2 * i].revents == 0) {
          continue;
        }
        char buffer[65536];
        const ssize_t n = ::read(child.fd, buffer, sizeof buffer);
        if (n > 0) {
          child.frame.append(buffer, static_cast<std::size_t>(n));
          continue;
        }
        if (n < 0 && errno == EINTR) {
          continue;
        }
        release(child.fd);
        const int status = reap(child.pid);
        while (read_output(child)) {
          // the child is gone: read its output to the end
        }
        Child done = std::move(child);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
        TaskOutcome result = outcome(done, status);
        log_output(done, !result.output.has_value());
        on_outcome(done.task, std::move(result));
      }
    }
  } catch (...) {
    stop_all(running);
    throw;
  }
}

} // namespace h2sim::runner
