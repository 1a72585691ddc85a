#include "mpi_executor.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <mpi.h>

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

MpiExecutor::~MpiExecutor() {
  // No rank may exit before rank 0 has written the output: mpirun ends the whole job as soon as one
  // rank exits non-zero (as all do after a failed replication).
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Finalize();
}

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

void MpiExecutor::execute(std::size_t tasks, const Task& task, const Progress& progress,
                          const OnOutcome& on_outcome) {
  std::vector<std::size_t> mine;
  for (std::size_t i = static_cast<std::size_t>(rank_); i < tasks;
       i += static_cast<std::size_t>(size_)) {
    mine.push_back(i);
  }
  // A part is {"failure": why this rank could not run its tasks, or null,
  //            "outcomes": [[task, output or null, error], ...]}.
  json part{{"failure", nullptr}, {"outcomes", json::array()}};
  try {
    LocalExecutor local(jobs_);
    const auto ranks = static_cast<std::size_t>(size_);
    local.execute(
        mine.size(), [&](std::size_t k) { return task(mine[k]); },
        [&](std::size_t done, std::size_t) {
          if (progress && rank_ == 0) {
            progress(std::min(tasks, done * ranks), tasks); // rank 0 speaks for all
          }
        },
        [&](std::size_t k, TaskOutcome outcome) {
          part["outcomes"].push_back(
              {mine[k], outcome.output ? json(std::move(*outcome.output)) : json(nullptr),
               std::move(outcome.error)});
        });
  } catch (const std::exception& e) {
    // Every rank must reach the gather below, whatever went wrong.
    part["failure"] = "MPI rank " + std::to_string(rank_) + ": " + e.what();
  } catch (...) {
    part["failure"] = "MPI rank " + std::to_string(rank_) + " failed";
  }

  // Rank 0 gathers every rank's part, then tells everyone the whole (a part of the same shape).
  const auto dump = [](const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
  };
  std::string whole;
  if (rank_ == 0) {
    json all{{"failure", part["failure"]}, {"outcomes", json::array()}};
    const auto take = [&](const json& from) {
      for (const auto& entry : from["outcomes"]) {
        all["outcomes"].push_back(entry);
      }
      if (all["failure"].is_null() && !from["failure"].is_null()) {
        all["failure"] = from["failure"];
      }
    };
    take(part);
    for (int r = 1; r < size_; ++r) {
      take(json::parse(receive_text(r)));
    }
    whole = dump(all);
  } else {
    send_text(dump(part), 0);
  }
  json all = json::parse(broadcast_text(std::move(whole)));
  if (!all["failure"].is_null()) {
    throw RunError(all["failure"].get<std::string>());
  }
  // Every rank hands over every outcome in task order, so that all follow the same path.
  auto& entries = all["outcomes"];
  std::sort(entries.begin(), entries.end(), [](const json& a, const json& b) {
    return a[0].get<std::size_t>() < b[0].get<std::size_t>();
  });
  for (auto& entry : entries) {
    TaskOutcome outcome;
    if (!entry[1].is_null()) {
      outcome.output = std::move(entry[1].get_ref<std::string&>());
    }
    outcome.error = entry[2].get<std::string>();
    on_outcome(entry[0].get<std::size_t>(), std::move(outcome));
  }
}

} // namespace h2sim::cli
