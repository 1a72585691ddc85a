#pragma once

// Scratch folders for tests: each test process has one under the temp directory, created when first
// asked for and removed with everything in it when the process ends normally, so that a run of the
// suite leaves nothing behind in /tmp. Children the library forks leave with _exit and do not
// remove it.

#include <filesystem>
#include <string>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace h2sim::test {

/** A fresh empty folder at `path`, removed with what it holds when this goes. */
class ScratchFolder {
public:
  explicit ScratchFolder(std::filesystem::path path) : path_(std::move(path)) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

/** This test process's scratch folder. */
inline const std::filesystem::path& process_scratch() {
  static const ScratchFolder root(std::filesystem::temp_directory_path() /
                                  ("h2sim-test-" + std::to_string(::getpid())));
  return root.path();
}

} // namespace h2sim::test
