#pragma once

#include <h2sim/h2sim.hpp>

namespace h2sim::cli {

/**
 * Spreads replications over the ranks of an MPI job (`mpirun -n N h2sim ...`): rank r runs the
 * tasks i with i % N == r (each in a forked child, `jobs` at once), then every rank receives every
 * outcome, in task order, so all ranks follow the same path and rank 0 writes what a
 * single-machine run writes. Outcomes are known (and on_outcome called) only once all ranks are
 * done, so each rank holds every task's result (compact, but all of them) until then. Exists only
 * while MPI is initialised: construct it once, first thing in main.
 */
class MpiExecutor final : public Executor {
public:
  /** Whether this process was started by mpirun (OpenMPI, or a PMI-based launcher). */
  static bool launched_by_mpirun();

  MpiExecutor(int* argc, char*** argv, int jobs);
  ~MpiExecutor() override;
  MpiExecutor(const MpiExecutor&) = delete;
  MpiExecutor& operator=(const MpiExecutor&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  void set_jobs(int jobs) { jobs_ = jobs; }

  void execute(std::size_t tasks, const Task& task, const Progress& progress,
               const OnOutcome& on_outcome) override;

private:
  int rank_ = 0;
  int size_ = 1;
  int jobs_ = 1;
};

} // namespace h2sim::cli
