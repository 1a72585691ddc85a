#include "dispenser_queue.hpp"

#include <algorithm>

namespace h2sim::models {

DispenserQueue::DispenserQueue(int dispensers, std::optional<std::size_t> queue_capacity)
    : free_at_(std::greater<>{}, std::vector<double>(static_cast<std::size_t>(dispensers), 0.0)),
      queue_capacity_(queue_capacity) {}

std::size_t DispenserQueue::waiting(double now) {
  while (!leave_queue_at_.empty() && leave_queue_at_.top() <= now) {
    leave_queue_at_.pop();
  }
  return leave_queue_at_.size();
}

void DispenserQueue::renege(double now, double leave_at) {
  if (leave_at > now) {
    leave_queue_at_.push(leave_at);
  }
}

bool DispenserQueue::full(double now) {
  return queue_capacity_ && waiting(now) >= *queue_capacity_ && free_at_.top() > now;
}

double DispenserQueue::next_start(double now, const Availability* availability) const {
  const double start = std::max(now, free_at_.top());
  return availability != nullptr ? availability->next_open(start) : start;
}

DispenserQueue::Admission DispenserQueue::admit(double now, double fill_min,
                                                const Availability* availability) {
  Admission admission;
  admission.waiting = waiting(now);
  if (full(now)) {
    return admission;
  }
  admission.admitted = true;
  admission.start = next_start(now, availability);
  admission.end = admission.start + fill_min;
  free_at_.pop();
  free_at_.push(admission.end);
  if (admission.start > now) {
    leave_queue_at_.push(admission.start);
    ++admission.waiting;
  }
  return admission;
}

} // namespace h2sim::models
