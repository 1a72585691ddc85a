#include "mpi_executor.hpp"

#include <mpi.h>

#include <cstdint>
#include <cstdlib>

namespace h2sim::cli {

using nlohmann::json;

bool MpiExecutor::launched_by_mpirun() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(variable) != nullptr) {
      return true;
    }
  }
  return false;
}

MpiExecutor::MpiExecutor(int* argc, char*** argv, int jobs) : jobs_(jobs) {
  MPI_Init(argc, argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiExecutor::~MpiExecutor() { MPI_Finalize(); }

namespace {

void send_text(const std::string& text, int to) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, to, 0, MPI_COMM_WORLD);
}

std::string receive_text(int from) {
  MPI_Status status;
  MPI_Probe(from, 0, MPI_COMM_WORLD, &status);
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  std::string text(static_cast<std::size_t>(count), '\0');
  MPI_Recv(text.data(), count, MPI_CHAR, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return text;
}

/** Rank 0's text, on every rank. */
std::string broadcast_text(std::string text) {
  std::uint64_t length = text.size();
  MPI_Bcast(&length, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  text.resize(length);
  MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
  return text;
}

} // namespace

std::vector<std::string> MpiExecutor::execute(std::size_t tasks, const Task& task,
                                              const Describe& describe,
                                              const Progress& progress) {
  std::vector<std::size_t> mine;
  for (std::size_t i = static_cast<std::size_t>(rank_); i < tasks; i += static_cast<std::size_t>(size_)) {
    mine.push_back(i);
  }
  json part{{"failure", nullptr}, {"outputs", json::array()}};
  try {
    LocalExecutor local(jobs_);
    const auto ranks = static_cast<std::size_t>(size_);
    const std::vector<std::string> outputs = local.execute(
        mine.size(), [&](std::size_t k) { return task(mine[k]); },
        [&](std::size_t k) { return describe(mine[k]) + " (MPI rank " + std::to_string(rank_) + ")"; },
        [&](std::size_t done, std::size_t) {
          if (progress && rank_ == 0) {
            progress(std::min(tasks, done * ranks), tasks); // rank 0 speaks for all
          }
        });
    for (std::size_t k = 0; k < mine.size(); ++k) {
      part["outputs"].push_back({mine[k], outputs[k]});
    }
  } catch (const std::exception& e) {
    part["failure"] = e.what(); // every rank must reach the gather below, whatever went wrong
  } catch (...) {
    part["failure"] = "MPI rank " + std::to_string(rank_) + " failed";
  }

  // Rank 0 gathers every rank's part, then tells everyone the whole.
  std::string whole;
  if (rank_ == 0) {
    json all{{"failure", part["failure"]}, {"outputs", json::array()}};
    std::vector<std::string> outputs(tasks);
    const auto take = [&](const json& from) {
      for (const auto& entry : from["outputs"]) {
        outputs[entry[0].get<std::size_t>()] = entry[1].get<std::string>();
      }
      if (all["failure"].is_null() && !from["failure"].is_null()) {
        all["failure"] = from["failure"];
      }
    };
    take(part);
    for (int r = 1; r < size_; ++r) {
      take(json::parse(receive_text(r)));
    }
    all["outputs"] = outputs;
    whole = all.dump();
  } else {
    send_text(part.dump(), 0);
  }
  const json all = json::parse(broadcast_text(std::move(whole)));
  if (!all["failure"].is_null()) {
    throw RunError(all["failure"].get<std::string>());
  }
  return all["outputs"].get<std::vector<std::string>>();
}

} // namespace h2sim::cli
