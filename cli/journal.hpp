#pragma once

#include <h2sim/h2sim.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace h2sim::cli {

/** A journal that cannot be resumed from (another sweep's, or damaged): exit 2. */
struct JournalRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/** A short hex digest of `text` (64-bit FNV-1a): enough to tell sweeps apart, not a secret. */
std::string fingerprint(std::string_view text);

/**
 * The journal of a sweep written to -o FILE: FILE.journal, JSON Lines. The first line names the
 * sweep, {"h2sim_journal": 2, "sweep": FINGERPRINT, "points": N}; each further line is one
 * finished replication, appended as it finishes,
 * {"point": P, "fingerprint": THE POINT'S, "replication": R, "result": {...}} (the result as
 * FinishedReplication holds it). A journal of another format is refused. A line is one
 * write(), so a killed process leaves whole lines (at most the last one torn, which is ignored).
 */
class Journal {
public:
  /** `points`: each point's fingerprint (its scenario, overrides and version), in order. */
  Journal(std::string path, std::vector<std::string> points);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  const std::string& path() const { return path_; }

  /**
   * Throws JournalRefused when the path holds something a sweep must not overwrite nor remove: a
   * symbolic link, a device, a FIFO, a directory, or a file that is not an h2sim journal.
   */
  void check() const;

  /**
   * The replications an existing journal holds; none when there is no journal. Throws
   * JournalRefused when it is another sweep's or damaged.
   */
  std::vector<FinishedReplication> read();

  /**
   * Starts recording: after what read() accepted when `resume`, else afresh. A journal that cannot
   * be written is warned about and skipped: the sweep goes on, it just cannot be resumed.
   */
  void open(bool resume);

  /** Records a finished replication (warns once and stops recording if that fails). */
  void append(const FinishedReplication& done);

  /** Removes the journal: the output it served is written. */
  void remove();

private:
  std::string path_;
  std::vector<std::string> points_;
  std::string sweep_;            // the whole sweep's fingerprint
  std::size_t whole_length_ = 0; // bytes of whole lines read(); a torn tail is cut on open
  bool found_ = false;           // read() found a journal of this sweep
  int fd_ = -1;
  bool opened_ = false; // open() opened it: remove() may take it away
};

} // namespace h2sim::cli
