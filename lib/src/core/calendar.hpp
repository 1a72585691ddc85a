#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace h2sim {

/**
 * What a calendar event does: a move-only callable with room for small captures inside it. The
 * model's callables ([this, vehicle, station], [this, fill] with a shared_ptr, a std::function and
 * a pointer) fit in `inline_size` bytes, so scheduling one allocates nothing; a larger one is moved
 * to the heap. Unlike std::function (16 bytes inside in libstdc++, copyable) it is never copied.
 */
class EventAction {
public:
  static constexpr std::size_t inline_size = 48;

  EventAction() noexcept = default;
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, EventAction> &&
                                              std::is_invocable_r_v<void, std::decay_t<F>&>>>
  EventAction(F&& function) { // NOLINT(google-explicit-constructor): lambdas convert as they did
    using Stored = std::decay_t<F>;
    if constexpr (fits_inline<Stored>()) {
      ::new (static_cast<void*>(storage_)) Stored(std::forward<F>(function));
      ops_ = &inline_ops<Stored>;
    } else {
      ::new (static_cast<void*>(storage_)) Stored*(new Stored(std::forward<F>(function)));
      ops_ = &heap_ops<Stored>;
    }
  }
  EventAction(EventAction&& other) noexcept { take(other); }
  EventAction& operator=(EventAction&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  EventAction(const EventAction&) = delete;
  EventAction& operator=(const EventAction&) = delete;
  ~EventAction() { reset(); }

  explicit operator bool() const noexcept { return ops_ != nullptr; }

  /**
   * Names the memory the action reads first (a vehicle's record, say), for the calendar to load
   * into the cache while the events before it run. A hint only: any address, or none, runs the
   * same, and one gone stale (its array grown since) costs nothing, as a prefetch never faults.
   * It is kept in what would be padding.
   */
  EventAction&& reading(const void* address) && noexcept {
    first_read_ = address;
    return std::move(*this);
  }
  const void* first_read() const noexcept { return first_read_; }
  /** Runs the action (it must hold one). */
  void operator()() { ops_->call(storage_); }

private:
  struct Ops {
    void (*call)(void* storage);
    void (*move)(void* from, void* to) noexcept; // constructs at `to`, destroys at `from`
    void (*destroy)(void* storage) noexcept;
  };

  template <class T> static constexpr bool fits_inline() {
    return sizeof(T) <= inline_size && alignof(T) <= alignof(std::max_align_t) &&
           std::is_nothrow_move_constructible_v<T>;
  }
  template <class T>
  static constexpr Ops inline_ops{
      [](void* storage) { (*std::launder(static_cast<T*>(storage)))(); },
      [](void* from, void* to) noexcept {
        T* source = std::launder(static_cast<T*>(from));
        ::new (to) T(std::move(*source));
        source->~T();
      },
      [](void* storage) noexcept { std::launder(static_cast<T*>(storage))->~T(); }};
  template <class T>
  static constexpr Ops heap_ops{
      [](void* storage) { (**std::launder(static_cast<T**>(storage)))(); },
      [](void* from, void* to) noexcept { ::new (to) T*(*std::launder(static_cast<T**>(from))); },
      [](void* storage) noexcept { delete *std::launder(static_cast<T**>(storage)); }};

  void take(EventAction& other) noexcept {
    first_read_ = other.first_read_;
    if (other.ops_ != nullptr) {
      other.ops_->move(other.storage_, storage_);
      ops_ = other.ops_;
      other.ops_ = nullptr;
    }
  }
  void reset() noexcept {
    if (ops_ != nullptr) {
      ops_->destroy(storage_);
      ops_ = nullptr;
    }
  }

  alignas(std::max_align_t) unsigned char storage_[inline_size];
  const Ops* ops_ = nullptr;
  const void* first_read_ = nullptr;
};
static_assert(sizeof(EventAction) <= 64, "an event's action, its hint included, fits a cache line");

/**
 * The clock and the future events of one simulation, in minutes. Models schedule through it and
 * never see the engine behind it (SimGrid, in engine/).
 */
class Calendar {
public:
  virtual ~Calendar() = default;
  /** The current simulated time, in minutes. */
  virtual double now() const = 0;
  /**
   * What an event may do to the shared capacities (core/shared_capacity.hpp). A `local` event
   * starts, reads and stops no flow, nor does anything it calls, so the engine may run it while
   * flows run without stepping them to its date; `shared`, the default, is always safe.
   */
  enum class Scope : unsigned char { shared, local };
  /**
   * Runs `action` at time `at` (>= now()); events at the same time run in the order scheduled,
   * whatever their scope.
   */
  virtual void schedule(double at, EventAction action, Scope scope) = 0;
  void schedule(double at, EventAction action) { schedule(at, std::move(action), Scope::shared); }
};

} // namespace h2sim
