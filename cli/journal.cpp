#include "journal.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace h2sim::cli {

using nlohmann::ordered_json;

namespace {
// 2: results are a replication's numbers in the library's compact form (1: metrics documents).
constexpr int journal_format = 2;

/**
 * Writes all of `text`; false with errno set if it could not. A short write is continued, so that
 * a full disk is reported as such (its errno was stale: "Success").
 */
bool write_whole(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      errno = n == 0 ? EIO : errno;
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}
} // namespace

std::string fingerprint(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

Journal::Journal(std::string path, std::vector<std::string> points)
    : path_(std::move(path)), points_(std::move(points)) {
  std::string all = std::to_string(points_.size());
  for (const std::string& point : points_) {
    all += "," + point;
  }
  sweep_ = fingerprint(all);
}

Journal::~Journal() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

void Journal::check() const {
  struct stat status {};
  if (::lstat(path_.c_str(), &status) != 0) {
    if (errno == ENOENT) {
      return;
    }
    throw JournalRefused(path_ + ": " + std::strerror(errno));
  }
  const std::string why = S_ISLNK(status.st_mode)   ? "a symbolic link"
                          : S_ISREG(status.st_mode) ? ""
                                                    : "not a regular file";
  // A journal begins with its header, {"h2sim_journal": ...} as dump() writes it; a sweep killed
  // while writing it may have left only the start of it, or nothing.
  const std::string begins = "{\"h2sim_journal\"";
  bool journal = false;
  if (why.empty()) {
    std::string start(begins.size(), '\0');
    std::ifstream in(path_, std::ios::binary);
    in.read(start.data(), static_cast<std::streamsize>(start.size()));
    start.resize(static_cast<std::size_t>(in.gcount()));
    journal = begins.starts_with(start);
  }
  if (!journal) {
    throw JournalRefused(path_ + " exists and is " + (why.empty() ? "not an h2sim journal" : why) +
                         ": a sweep to -o FILE writes its journal at FILE.journal and removes it; "
                         "move it away or write the sweep elsewhere");
  }
}

std::vector<FinishedReplication> Journal::read() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) {
      return {};
    }
    throw JournalRefused("--resume: cannot read " + path_ + ": " + std::strerror(errno));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const auto refuse = [&](const std::string& why) {
    throw JournalRefused("--resume: " + path_ + " " + why +
                         "; remove it to run the whole sweep again");
  };
  std::vector<FinishedReplication> finished;
  std::size_t start = 0;
  for (std::size_t line = 1;; ++line) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      break; // nothing more, or a line torn by a killed process: not a result
    }
    ordered_json entry;
    try {
      entry = ordered_json::parse(text.substr(start, end - start));
    } catch (const nlohmann::json::parse_error&) {
      refuse("is damaged at line " + std::to_string(line));
    }
    start = end + 1;
    if (line == 1) {
      if (!entry.is_object() || !entry.contains("h2sim_journal")) {
        refuse("is not an h2sim journal");
      }
      if (entry["h2sim_journal"] != journal_format) {
        refuse("was written by another version of h2sim");
      }
      if (entry.value("sweep", "") != sweep_ || entry.value("points", 0U) != points_.size()) {
        refuse("is from a different sweep (scenario, --set, --vary, --seed or --replications "
               "differ)");
      }
      continue;
    }
    try {
      const auto point = entry.at("point").get<std::size_t>();
      if (point >= points_.size() || entry.at("fingerprint").get<std::string>() != points_[point]) {
        refuse("line " + std::to_string(line) + " is from a different sweep");
      }
      finished.push_back(FinishedReplication{point, entry.at("replication").get<int>(),
                                             entry.at("result").dump()});
    } catch (const nlohmann::json::exception&) {
      refuse("is damaged at line " + std::to_string(line));
    }
  }
  found_ = start > 0;
  whole_length_ = start;
  return finished;
}

void Journal::open(bool resume) {
  const bool append = resume && found_;
  fd_ = ::open(path_.c_str(),
               O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (append ? O_APPEND : O_TRUNC), 0666);
  opened_ = fd_ >= 0;
  if (fd_ < 0) {
    spdlog::warn("cannot keep a journal at {}: {}; this sweep could not be resumed", path_,
                 std::strerror(errno));
    return;
  }
  if (append) {
    // New lines must not continue a line a killed process tore.
    if (::ftruncate(fd_, static_cast<off_t>(whole_length_)) != 0) {
      spdlog::warn("cannot keep a journal at {}: {}; this sweep could not be resumed", path_,
                   std::strerror(errno));
      ::close(fd_);
      fd_ = -1;
    }
    return;
  }
  const ordered_json header{
      {"h2sim_journal", journal_format}, {"sweep", sweep_}, {"points", points_.size()}};
  const std::string line = header.dump() + "\n";
  if (!write_whole(fd_, line)) {
    spdlog::warn("cannot keep a journal at {}: {}; this sweep could not be resumed", path_,
                 std::strerror(errno));
    ::close(fd_);
    fd_ = -1;
  }
}

void Journal::append(const FinishedReplication& done) {
  if (fd_ < 0) {
    return;
  }
  std::string text = ordered_json{
      {"point", done.point},
      {"fingerprint", points_[done.point]},
      {"replication",
       done.replication}}.dump();
  text.pop_back(); // the closing brace: the result, already JSON text, goes in as it is
  text += ",\"result\":" + done.result + "}\n";
  if (!write_whole(fd_, text)) {
    spdlog::warn("cannot write the journal {}: {}; the rest of this sweep could not be resumed",
                 path_, std::strerror(errno));
    ::close(fd_);
    fd_ = -1;
  }
}

void Journal::remove() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!opened_) {
    return; // never written by this sweep (it could not be opened): not this sweep's to remove
  }
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
    spdlog::warn("cannot remove the journal {}: {}", path_, std::strerror(errno));
  }
}

} // namespace h2sim::cli
