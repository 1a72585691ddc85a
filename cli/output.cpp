#include "output.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <limits.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace h2sim::cli {

namespace {

namespace fs = std::filesystem;

constexpr int max_link_hops = 40; // as the kernel allows before ELOOP

/** `path` with its symbolic links followed to what they finally name (which may not exist). */
std::string follow_links(const std::string& path, int& error) {
  std::string current = path;
  for (int hop = 0; hop <= max_link_hops; ++hop) {
    struct stat status {};
    if (::lstat(current.c_str(), &status) != 0 || !S_ISLNK(status.st_mode)) {
      return current;
    }
    std::string target(PATH_MAX, '\0');
    const ssize_t length = ::readlink(current.c_str(), target.data(), target.size());
    if (length < 0) {
      error = errno;
      return current;
    }
    target.resize(static_cast<std::size_t>(length));
    // A relative link is relative to the folder holding the link.
    current = target.front() == '/' ? target : (fs::path(current).parent_path() / target).string();
  }
  error = ELOOP;
  return current;
}

std::string folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

/** What a file of this type is, when output cannot go there; empty when it can. */
std::string unusable_type(mode_t mode) {
  if (S_ISDIR(mode)) {
    return "is a directory";
  }
  if (S_ISSOCK(mode)) {
    return "is a socket";
  }
  if (S_ISBLK(mode)) {
    return "is a block device";
  }
  if (!S_ISREG(mode) && !S_ISCHR(mode) && !S_ISFIFO(mode)) {
    return "is not a file, device or FIFO";
  }
  return {};
}

/**
 * SIGPIPE held off in this thread while an output is written: a reader that went away
 * (`h2sim run | head -c1`, a FIFO closed) makes the write fail with EPIPE, which the output
 * reports (exit 1, "cannot write ..."), instead of killing the process without a word. Elsewhere
 * SIGPIPE keeps its default, so a run whose log reader (stderr) went away still stops.
 */
class QuietPipe {
public:
  QuietPipe() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    sigpending(&before_);
    pthread_sigmask(SIG_BLOCK, &pipe, &previous_);
  }
  ~QuietPipe() {
    const int error = errno; // the write's, for the caller
    // A SIGPIPE the write raised is pending now: take it, unless one was pending already.
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) != 0 && sigismember(&before_, SIGPIPE) == 0) {
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      const timespec now{0, 0};
      sigtimedwait(&pipe, nullptr, &now);
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    errno = error;
  }
  QuietPipe(const QuietPipe&) = delete;
  QuietPipe& operator=(const QuietPipe&) = delete;

private:
  sigset_t before_;
  sigset_t previous_;
};

/** Writes all of `text` to `fd`; false with errno set if it could not. */
bool write_all(int fd, std::string_view text) {
  const QuietPipe quiet;
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return false;
    }
    if (n == 0) {
      errno = EIO;
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// The temporary files a signal handler must remove: one slot per Temporary alive at once (an
// event log's is there while -o's and --table's are written). Only the handler and Temporary touch
// these; a slot's `armed` is set (with the signals blocked) exactly while its file exists.
constexpr std::size_t temporary_slots = 8;
char temporary_paths[temporary_slots][PATH_MAX];
volatile std::sig_atomic_t armed[temporary_slots] = {};
// The process that made them: a replication's process, forked with the handler, must not remove
// its parent's files when it alone is told to end.
volatile pid_t temporary_owner = 0;
constexpr int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

void remove_temporary_and_reraise(int signal) {
  for (std::size_t slot = 0; slot < temporary_slots && ::getpid() == temporary_owner; ++slot) {
    if (armed[slot] != 0) {
      ::unlink(temporary_paths[slot]);
    }
  }
  // SA_RESETHAND restored the default action: the re-raised signal ends the process as it would
  // have without this handler, once the handler returns.
  ::raise(signal);
}

/** Signals that would end the process, held off while a temporary file appears or disappears. */
class HeldSignals {
public:
  HeldSignals() {
    sigset_t set;
    sigemptyset(&set);
    for (int signal : cleanup_signals) {
      sigaddset(&set, signal);
    }
    pthread_sigmask(SIG_BLOCK, &set, &previous_);
  }
  ~HeldSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  HeldSignals(const HeldSignals&) = delete;
  HeldSignals& operator=(const HeldSignals&) = delete;

private:
  sigset_t previous_;
};

/**
 * The temporary file beside the target, with handlers that remove it if the process is told to
 * end while it exists (a signal the process ignores, as under nohup, stays ignored). Removed by
 * the destructor unless renamed into place.
 */
class Temporary {
public:
  Temporary() {
    for (std::size_t i = 0; i < std::size(cleanup_signals); ++i) {
      struct sigaction action {};
      action.sa_handler = remove_temporary_and_reraise;
      action.sa_flags = static_cast<int>(SA_RESETHAND);
      sigemptyset(&action.sa_mask);
      sigaction(cleanup_signals[i], nullptr, &previous_[i]);
      if (previous_[i].sa_handler != SIG_IGN) {
        sigaction(cleanup_signals[i], &action, nullptr);
      }
    }
  }
  ~Temporary() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    if (slot_ < temporary_slots) {
      const HeldSignals held;
      if (armed[slot_] != 0) {
        ::unlink(temporary_paths[slot_]);
        armed[slot_] = 0;
      }
    }
    for (std::size_t i = 0; i < std::size(cleanup_signals); ++i) {
      sigaction(cleanup_signals[i], &previous_[i], nullptr);
    }
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;

  /**
   * Creates a new file for `target` in its folder, false with errno set if it cannot. Where the
   * file system allows, the file has no name (O_TMPFILE) until close() gives it one, so that a
   * process killed outright (SIGKILL, the OOM killer) while writing leaves nothing behind.
   */
  bool create(const std::string& target) {
    const fs::path path(target);
    // ".NAME.tmp.PID", or ".h2sim.tmp.PID" where that would pass NAME_MAX (a name of 245 bytes,
    // legal itself, failed once the run was over).
    std::string own = "." + path.filename().string() + ".tmp." + std::to_string(::getpid());
    if (own.size() + 3 > NAME_MAX) { // room for ".NN", the attempts below
      own = ".h2sim.tmp." + std::to_string(::getpid());
    }
    stem_ = (path.parent_path() / own).string();
    if (stem_.size() >= PATH_MAX) { // as create_named() would find, but before anything runs
      errno = ENAMETOOLONG;
      return false;
    }
    if (std::getenv("H2SIM_TEST_NAMED_TEMPORARY") == nullptr) {
      const std::string folder = path.parent_path().empty() ? "." : path.parent_path().string();
      fd_ = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
      if (fd_ >= 0) {
        return true;
      }
    }
    return create_named(); // a file system without O_TMPFILE
  }

  int fd() const { return fd_; }

  /**
   * Gives the file its name if it has none yet, and closes it; false with errno set if either
   * failed (a failed late write).
   */
  bool close() {
    if (slot_ == temporary_slots && !give_name()) {
      return false;
    }
    const int fd = std::exchange(fd_, -1);
    return ::close(fd) == 0;
  }

  /** Renames the file over `target`; false with errno set (and the file still there) if not. */
  bool rename_over(const std::string& target) {
    const HeldSignals held;
    if (::rename(temporary_paths[slot_], target.c_str()) != 0) {
      return false;
    }
    armed[slot_] = 0;
    slot_ = temporary_slots; // the slot is another Temporary's to take now
    return true;
  }

private:
  /**
   * Takes the first free name of ".NAME.tmp.PID", ".NAME.tmp.PID.1", ... that `make(name)`
   * creates (false with errno EEXIST where the name is taken), in a slot the signal handlers
   * clean up; false with errno set if none.
   */
  template <class Make> bool claim_name(Make make) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      const std::string name = attempt == 0 ? stem_ : stem_ + "." + std::to_string(attempt);
      if (name.size() >= PATH_MAX) {
        errno = ENAMETOOLONG;
        return false;
      }
      const HeldSignals held;
      std::size_t slot = 0;
      while (slot < temporary_slots && armed[slot] != 0) {
        ++slot;
      }
      if (slot == temporary_slots) {
        errno = EMFILE; // more outputs at once than any command writes
        return false;
      }
      if (make(name)) {
        std::memcpy(temporary_paths[slot], name.c_str(), name.size() + 1);
        temporary_owner = ::getpid();
        armed[slot] = 1;
        slot_ = slot;
        return true;
      }
      if (errno != EEXIST) {
        return false;
      }
    }
    return false;
  }

  bool create_named() {
    return claim_name([this](const std::string& name) {
      fd_ = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      return fd_ >= 0;
    });
  }

  /**
   * Names the unnamed file, written and synced, for rename_over: a link to it through
   * /proc/self/fd, or where that fails (no /proc) a named copy, synced, with its owner and mode.
   */
  bool give_name() {
    const std::string proc = "/proc/self/fd/" + std::to_string(fd_);
    const bool may_link = std::getenv("H2SIM_TEST_NO_LINK") == nullptr;
    if (may_link && claim_name([&proc](const std::string& name) {
          return ::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0;
        })) {
      return true;
    }
    const int unnamed = std::exchange(fd_, -1);
    struct stat status {};
    bool copied =
        ::fstat(unnamed, &status) == 0 && ::lseek(unnamed, 0, SEEK_SET) == 0 && create_named();
    std::string buffer(1 << 16, '\0');
    while (copied) {
      const ssize_t got = ::read(unnamed, buffer.data(), buffer.size());
      if (got == 0) {
        break;
      }
      if (got < 0) {
        copied = errno == EINTR;
        continue;
      }
      copied = write_all(fd_, std::string_view(buffer.data(), static_cast<std::size_t>(got)));
    }
    if (copied) {
      if (::fchown(fd_, status.st_uid, status.st_gid) != 0) {
        [[maybe_unused]] const int ignored = ::fchown(fd_, static_cast<uid_t>(-1), status.st_gid);
      }
      copied = ::fchmod(fd_, status.st_mode & 07777) == 0 && ::fsync(fd_) == 0;
    }
    const int error = errno;
    ::close(unnamed);
    errno = error;
    return copied;
  }

  int fd_ = -1;
  std::string stem_;                   // the temporary name's, beside the target
  std::size_t slot_ = temporary_slots; // none until the file has a name
  struct sigaction previous_[std::size(cleanup_signals)]{};
};

/**
 * Test hooks: H2SIM_TEST_SIGNAL_BEFORE_SYNC=N raises signal N once an output is written, before
 * it is synced and named; H2SIM_TEST_SIGNAL_BEFORE_RENAME=N once it is named, before it is
 * renamed into place. Either checks that nothing is left behind.
 */
void signal_for_tests(const char* variable) {
  if (const char* signal = std::getenv(variable)) {
    ::raise(std::atoi(signal));
  }
}

[[noreturn]] void fail(const std::string& path, int error) {
  throw OutputError("cannot write " + path + ": " + std::strerror(error));
}

} // namespace

std::optional<std::string> output_path_problem(const std::string& path) {
  // The kernel follows the links, also those of /proc such as /dev/stdout's (-> pipe:[N]).
  struct stat status {};
  if (::stat(path.c_str(), &status) == 0) {
    if (const std::string type = unusable_type(status.st_mode); !type.empty()) {
      return type;
    }
    if (::access(path.c_str(), W_OK) != 0) {
      return std::string(std::strerror(errno));
    }
    if (!S_ISREG(status.st_mode)) {
      return std::nullopt;
    }
  } else if (errno != ENOENT) {
    return std::string(std::strerror(errno));
  }
  // A regular file is replaced, and a new one created, through a new file beside it.
  int error = 0;
  const std::string folder = folder_of(follow_links(path, error));
  if (error != 0) {
    return std::string(std::strerror(error));
  }
  struct stat folder_status {};
  if (::stat(folder.c_str(), &folder_status) != 0 || !S_ISDIR(folder_status.st_mode)) {
    return "no such directory " + folder;
  }
  if (::access(folder.c_str(), W_OK) != 0) {
    return "cannot write in " + folder + ": " + std::strerror(errno);
  }
  return std::nullopt;
}

std::string where_links_lead(const std::string& path) {
  int error = 0;
  return follow_links(path, error); // a loop or unreadable link: where it stopped
}

bool replaced_atomically(const std::string& path) {
  struct stat status {};
  return ::stat(path.c_str(), &status) == 0 ? S_ISREG(status.st_mode) : errno == ENOENT;
}

/** What a StreamedOutput writes into: a temporary file beside the target, or a device or FIFO. */
struct StreamedOutput::Place {
  std::string path;   // as given
  std::string target; // the regular file to replace (links followed)
  std::unique_ptr<Temporary> temporary;
  bool synced = false; // the temporary file's data is on disk
  bool sealed = false; // and it is closed, with a name
  int device = -1;
  ~Place() {
    if (device >= 0) {
      ::close(device);
    }
  }
};

namespace {

/** A temporary file for the regular file (or the name of the new one) that `path` leads to. */
void open_where_it_leads(StreamedOutput::Place& place, const struct stat* existing) {
  int error = 0;
  place.target = follow_links(place.path, error);
  if (error != 0) {
    fail(place.path, error);
  }
  struct stat status {};
  const bool exists = ::lstat(place.target.c_str(), &status) == 0;
  if (existing == nullptr
          ? exists
          : !exists || status.st_dev != existing->st_dev || status.st_ino != existing->st_ino) {
    // The links changed under us, or lead where no name can be replaced (a deleted file).
    throw OutputError("cannot write " + place.path + ": it changed while being written");
  }
  place.temporary = std::make_unique<Temporary>();
  if (!place.temporary->create(place.target)) {
    fail(place.path, errno);
  }
  if (existing != nullptr) {
    // Owner and group first: changing them may clear set-id bits, which the mode then restores.
    // Only root may give a file away; others keep what they can (perhaps the group).
    const int fd = place.temporary->fd();
    if (::fchown(fd, existing->st_uid, existing->st_gid) != 0) {
      [[maybe_unused]] const int ignored = ::fchown(fd, static_cast<uid_t>(-1), existing->st_gid);
    }
    if (::fchmod(fd, existing->st_mode & 07777) != 0) {
      fail(place.path, errno);
    }
  }
}

} // namespace

StreamedOutput::StreamedOutput(const std::string& path) : place_(std::make_unique<Place>()) {
  place_->path = path;
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    if (errno != ENOENT) {
      fail(path, errno);
    }
    open_where_it_leads(*place_, nullptr);
    return;
  }
  if (const std::string type = unusable_type(status.st_mode); !type.empty()) {
    throw OutputError("cannot write " + path + ": it " + type);
  }
  if (S_ISREG(status.st_mode)) {
    open_where_it_leads(*place_, &status);
    return;
  }
  // A device or FIFO: written where it is. No O_CREAT and no O_TRUNC, so that nothing is created
  // or cut should the path have changed since the look above.
  place_->device = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (place_->device < 0) {
    fail(path, errno);
  }
  struct stat opened {};
  if (::fstat(place_->device, &opened) != 0 ||
      (!S_ISCHR(opened.st_mode) && !S_ISFIFO(opened.st_mode))) {
    throw OutputError("cannot write " + path + ": it changed while being written");
  }
}

StreamedOutput::~StreamedOutput() = default;

int StreamedOutput::fd() const {
  return place_->temporary ? place_->temporary->fd() : place_->device;
}

void StreamedOutput::write(std::string_view text) {
  if (!write_all(fd(), text)) {
    fail(place_->path, errno);
  }
}

bool StreamedOutput::replaces_file() const { return place_->temporary != nullptr; }

void StreamedOutput::sync() {
  Place& place = *place_;
  if (!place.temporary || place.synced) {
    return;
  }
  signal_for_tests("H2SIM_TEST_SIGNAL_BEFORE_SYNC");
  if (::fsync(place.temporary->fd()) != 0) {
    fail(place.path, errno);
  }
  place.synced = true;
}

void StreamedOutput::seal() {
  Place& place = *place_;
  if (!place.temporary || place.sealed) {
    return;
  }
  sync();
  if (!place.temporary->close()) {
    fail(place.path, errno);
  }
  place.sealed = true;
}

void StreamedOutput::commit() {
  Place& place = *place_;
  if (!place.temporary) {
    const int fd = std::exchange(place.device, -1);
    if (::close(fd) != 0) {
      fail(place.path, errno);
    }
    return;
  }
  seal();
  signal_for_tests("H2SIM_TEST_SIGNAL_BEFORE_RENAME");
  if (!place.temporary->rename_over(place.target)) {
    fail(place.path, errno);
  }
  // Make the rename itself durable; the file is in place either way, so a folder that cannot be
  // synced is no failure.
  const int folder = ::open(folder_of(place.target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder >= 0) {
    ::fsync(folder);
    ::close(folder);
  }
}

void write_output(const std::string& path, std::string_view text) {
  StreamedOutput output(path);
  output.write(text);
  output.commit();
}

StagedOutput::StagedOutput(std::string path, std::string text, std::string what)
    : path_(path == "-" ? std::string() : std::move(path)), text_(std::move(text)),
      what_(std::move(what)) {
  if (!path_.empty() && replaced_atomically(path_)) {
    staged_ = std::make_unique<StreamedOutput>(path_);
    staged_->write(text_);
  }
}

StagedOutput::StagedOutput(std::unique_ptr<StreamedOutput> written) : staged_(std::move(written)) {}

void StagedOutput::finish() {
  if (staged_) {
    staged_->commit();
  } else if (path_.empty()) {
    write_stdout(text_, what_);
  } else {
    write_output(path_, text_);
  }
}

void StagedOutput::sync() {
  if (staged_) {
    staged_->sync();
  }
}

void StagedOutput::seal() {
  if (staged_) {
    staged_->seal();
  }
}

void finish_outputs(std::vector<StagedOutput>& outputs) {
  for (StagedOutput& output : outputs) {
    if (!output.replaces_file()) {
      output.finish();
    }
  }
  // Every file on disk before any is renamed into place: a rename seldom fails, a sync may. Then
  // each is named, only now, so that a process killed while a large one is synced leaves no
  // named temporary file of another.
  for (StagedOutput& output : outputs) {
    output.sync();
  }
  for (StagedOutput& output : outputs) {
    output.seal();
  }
  for (StagedOutput& output : outputs) {
    if (output.replaces_file()) {
      output.finish();
    }
  }
}

void write_stdout(std::string_view text, const std::string& what) {
  std::cout.flush(); // nothing else is written to stdout, but keep the order if it ever is
  if (!write_all(STDOUT_FILENO, text)) {
    throw OutputError("cannot write " + what + " to stdout: " + std::strerror(errno));
  }
}

void reserve_standard_descriptors() {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) {
      continue;
    }
    // The lowest free descriptor is `fd` itself (the ones below are open by now).
    int opened = ::open("/dev/null", O_RDONLY);
    if (opened < 0) {
      opened = ::open("/", O_RDONLY | O_DIRECTORY);
    }
    if (opened >= 0 && opened != fd) {
      ::dup2(opened, fd);
      ::close(opened);
    }
  }
}

} // namespace h2sim::cli
