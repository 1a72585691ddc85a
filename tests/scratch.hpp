#pragma once

// The test process's own scratch folder under the temp directory: created when first asked for,
// removed with everything in it when the process ends normally, so that a run of the suite leaves
// nothing behind in /tmp. Children the library forks leave with _exit and do not remove it.

#include <filesystem>
#include <string>
#include <system_error>
#include <unistd.h>

namespace h2sim::test {

inline const std::filesystem::path& process_scratch() {
  struct Root {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("h2sim-test-" + std::to_string(::getpid()));
    Root() {
      std::filesystem::remove_all(path);
      std::filesystem::create_directories(path);
    }
    ~Root() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
    Root(const Root&) = delete;
    Root& operator=(const Root&) = delete;
  };
  static const Root root;
  return root.path;
}

} // namespace h2sim::test
