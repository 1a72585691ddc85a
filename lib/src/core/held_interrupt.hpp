#pragma once

#include <csignal>

namespace h2sim {

/**
 * Ctrl-C (SIGINT) held off in the calling thread while this lives: one that comes meanwhile is
 * told once it is gone, to the disposition in force then (around a fork, around the construction
 * of SimGrid's engine, which puts in a handler of its own).
 */
class HeldInterrupt {
public:
  HeldInterrupt() {
    sigset_t interrupt;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    pthread_sigmask(SIG_BLOCK, &interrupt, &mask_);
  }
  ~HeldInterrupt() { pthread_sigmask(SIG_SETMASK, &mask_, nullptr); }
  HeldInterrupt(const HeldInterrupt&) = delete;
  HeldInterrupt& operator=(const HeldInterrupt&) = delete;

private:
  sigset_t mask_;
};

} // namespace h2sim
