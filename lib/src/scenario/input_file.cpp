#include "input_file.hpp"

#include <filesystem>
#include <system_error>

namespace h2sim::scenario {

InputFileProblem check_input_file(const std::string& path, std::uintmax_t max_bytes) {
  if (path.find('\0') != std::string::npos) {
    return InputFileProblem::nul_in_name;
  }
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    return InputFileProblem::cannot_read;
  }
  if (!std::filesystem::is_regular_file(status)) {
    return InputFileProblem::not_regular;
  }
  const auto size = std::filesystem::file_size(path, error);
  if (!error && size > max_bytes) {
    return InputFileProblem::too_large;
  }
  return InputFileProblem::none;
}

} // namespace h2sim::scenario
