#pragma once

// What the end-to-end tests of the `h2sim` binary share: a command's exit code and output, a
// file's text, and a scratch folder of a test's own.

#include "scratch.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace h2sim::test {

/** What a command did: its exit code (the shell's: 128 + N when killed by signal N), its output. */
struct Result {
  int code;
  std::string out;
  std::string err;
};

/** A refusal before anything ran: exit 2, `message` on stderr, nothing on stdout. */
inline void check_refused(const Result& result, const std::string& message) {
  CHECK(result.code == 2);
  CHECK(result.err == message);
  CHECK(result.out.empty());
}

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/** A fresh empty folder of its own for one test, removed afterwards. */
struct Folder {
  ScratchFolder folder{process_scratch() / ("folder-" + std::to_string(next_id()))};
  const std::filesystem::path& path = folder.path();

  static int next_id() {
    static int counter = 0;
    return counter++;
  }
  std::filesystem::path operator/(const std::string& name) const { return path / name; }

  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return path / name;
  }
  /** What the folder holds, sorted. */
  std::vector<std::string> names() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  /** Runs h2sim with `args` (shell words) in the folder; stdout and stderr land beside them. */
  Result h2sim(const std::string& args) const {
    const std::string command = "cd '" + path.string() + "' && " + H2SIM_CLI + std::string(" ") +
                                args + " >stdout.txt 2>stderr.txt";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(path / "stdout.txt"),
            slurp(path / "stderr.txt")};
  }
};

} // namespace h2sim::test
