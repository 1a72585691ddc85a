#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace h2sim::cli {

/** Output that could not be written: "cannot write PATH: REASON" (the command exits 1). */
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/**
 * Why `path` cannot take a command's output, or nothing when it can; checked before anything runs.
 * Symbolic links are followed (a dangling one names the file to create). A regular file (writable)
 * or a new file in a writable folder can, and so can a character device or FIFO (writable); a
 * directory, a socket or a block device cannot.
 */
std::optional<std::string> output_path_problem(const std::string& path);

/** `path` with its symbolic links followed to what they finally name, which may not exist yet. */
std::string where_links_lead(const std::string& path);

/** Whether output to `path` replaces a file atomically: links followed, a regular file or none. */
bool replaced_atomically(const std::string& path);

/**
 * Writes `text` to `path` as `-o` promises. Links are followed and the link stays. A regular file
 * (or none yet) is replaced atomically: a temporary file in the target's folder, written, synced
 * and renamed over it, keeping an existing file's permission bits (and owner and group when
 * allowed); SIGINT, SIGTERM or SIGHUP meanwhile removes the temporary file before the process
 * ends. A character device or FIFO is opened (never created or truncated) and written directly.
 * Throws OutputError naming `path` on any failure, leaving no temporary file and an existing file
 * untouched.
 */
void write_output(const std::string& path, std::string_view text);

/**
 * Output written while the command runs (the event log), with the promises of write_output: the
 * constructor opens it (a temporary file beside a regular file, or the device or FIFO itself),
 * fd() takes the writes (also from forked children), commit() puts it in place (synced and renamed
 * over the file). Destroyed uncommitted, the temporary file is removed and an existing file stays
 * untouched. Throws OutputError naming the path on any failure.
 */
class StreamedOutput {
public:
  explicit StreamedOutput(const std::string& path);
  ~StreamedOutput();
  StreamedOutput(const StreamedOutput&) = delete;
  StreamedOutput& operator=(const StreamedOutput&) = delete;

  int fd() const;
  void write(std::string_view text);
  /** Whether commit() puts a file in place (else the writes went straight to a device or FIFO). */
  bool replaces_file() const;
  /** Puts a file's text on disk, as commit() does first (once). */
  void sync();
  /**
   * Closes a file, synced, giving it its temporary name beside the target (until then it may
   * have none, so that a process killed outright leaves nothing), as commit() does (once).
   */
  void seal();
  void commit();

  struct Place;

private:
  std::unique_ptr<Place> place_;
};

/**
 * An output written with others (-o with --table) that must not replace its file unless the others
 * were written too: a regular file's text goes into its temporary file now and in place at
 * finish(); standard output (path "" or "-"), a device or a FIFO takes it at finish().
 * Destroyed unfinished, it leaves the file as it was.
 */
class StagedOutput {
public:
  /** `what` names the text in messages about standard output ("the metrics"). */
  StagedOutput(std::string path, std::string text, std::string what = "the output");
  /** An output written while the command ran (the event log): finish() commits it. */
  explicit StagedOutput(std::unique_ptr<StreamedOutput> written);
  /** Whether finish() puts a file in place (else it writes where the path is: stdout, a FIFO). */
  bool replaces_file() const { return staged_ != nullptr && staged_->replaces_file(); }
  /** A file's text on disk, not yet in place (nothing for the others). */
  void sync();
  /** A file synced and closed, named beside its target, not yet in place. */
  void seal();
  void finish();

private:
  std::string path_;
  std::string text_;
  std::string what_;
  std::unique_ptr<StreamedOutput> staged_;
};

/**
 * Finishes every output so that one that fails replaces no regular file: those written where they
 * are (stdout, devices, FIFOs, which nothing can take back) first, in order; then every staged
 * file is synced, then each is closed and named; then they are renamed into place, in order (only
 * a failed rename, rare, leaves the ones before it in place). Throws OutputError on the first
 * failure.
 */
void finish_outputs(std::vector<StagedOutput>& outputs);

/**
 * Writes `text` to standard output and checks that it got there; throws OutputError
 * ("cannot write WHAT to stdout: REASON") otherwise, e.g. on a full disk or a closed stdout.
 */
void write_stdout(std::string_view text, const std::string& what);

/**
 * Puts a read-only /dev/null on whichever of descriptors 0, 1 and 2 is closed, so that no file or
 * pipe the command opens lands there (its output would go into it) and a closed stdout fails to
 * write with EBADF. Call first thing in main.
 */
void reserve_standard_descriptors();

} // namespace h2sim::cli
