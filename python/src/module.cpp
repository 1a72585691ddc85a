// _h2sim: the C++ half of the `h2sim` Python package (python/h2sim/__init__.py is the other). It
// takes a scenario's text, the folder its files are relative to and --set style overrides, and
// gives JSON text back; the Python half turns arguments into these and the text into dicts.
// Runs release the GIL; Ctrl-C (SIGINT in the main thread) stops them within 100 ms, killing every
// replication process, and raises KeyboardInterrupt.
#include <h2sim/experiments.hpp>
#include <h2sim/h2sim.hpp>
#include <h2sim/log.hpp>

#include <algorithm>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <string>
#include <tuple>
#include <unistd.h>
#include <utility>
#include <variant>
#include <vector>

namespace py = pybind11;

namespace {

using Texts = std::vector<std::string>;
using Overrides = std::vector<h2sim::Override>;

/**
 * The caller's overrides: "PATH=VALUE" texts as --set takes them (split at their first '=' outside
 * brackets), or a dict's (PATH, VALUE text) pairs, never joined and split again.
 */
using Sets = std::vector<std::variant<std::string, std::pair<std::string, std::string>>>;

/** A sweep point's invalid scenario: which point, named by its values, as `h2sim sweep` says. */
struct PointError {
  std::size_t index;
  std::string name;
  h2sim::ScenarioError error;
};

/**
 * Named as Python names them: "set PATH=VALUE"; with `arguments` (seed=, replications=), each as
 * its keyword argument ("seed=7"), as the command line names --seed.
 */
Overrides overrides_of(const Sets& sets, bool arguments = false) {
  Overrides overrides;
  for (const auto& set : sets) {
    if (const auto* pair = std::get_if<std::pair<std::string, std::string>>(&set)) {
      overrides.push_back({pair->first, pair->second, "set",
                           arguments ? pair->first + "=" + pair->second : std::string()});
      continue;
    }
    const std::string& given = std::get<std::string>(set);
    std::optional<h2sim::Override> override = h2sim::parse_override(given);
    if (!override) {
      throw h2sim::ScenarioError({{"", "set " + given + ": expected PATH=VALUE", true}});
    }
    override->option = "set";
    overrides.push_back(std::move(*override));
  }
  return overrides;
}

/** The scenario with the overrides of each list, in order. */
h2sim::Scenario load(const std::string& text, const std::string& base_dir,
                     std::initializer_list<Overrides> lists) {
  Overrides overrides;
  for (const Overrides& list : lists) {
    overrides.insert(overrides.end(), list.begin(), list.end());
  }
  return h2sim::load_scenario(text, overrides, base_dir);
}

/**
 * Whether the interpreter is shutting down (asked without the GIL). A thread that takes the GIL
 * then is ended by Python with a forced unwind, which C++ frames turn into std::terminate: a
 * daemon thread inside run() aborted the process at exit.
 */
bool finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing() != 0;
#else
  return _Py_IsFinalizing() != 0;
#endif
}

/** A thread whose interpreter is gone: it waits, without the GIL, for the process to end. */
[[noreturn]] void abandon_thread() {
  for (;;) {
    pause();
  }
}

/**
 * Asked by the runner every 100 ms: has Python seen a signal (Ctrl-C) it wants to act on? At
 * exit, the run stops (its replications' processes with it).
 */
bool interrupted() {
  if (finalizing()) {
    return true;
  }
  const py::gil_scoped_acquire gil;
  return PyErr_CheckSignals() != 0; // runs the handler: KeyboardInterrupt is now pending
}

/** How replications run: the options `h2sim run` takes besides the scenario's own. */
struct Running {
  int jobs = 1;
  Texts until;                         // "PATH:RELATIVE", as --until
  std::size_t max_replications = 1000; // as --max-replications
  std::string quantile_interval;       // as --quantile-interval
};

h2sim::RunOptions options(const Running& running) {
  if (running.jobs < 1 || running.jobs > 4096) {
    throw py::value_error("jobs must be between 1 and 4096");
  }
  if (running.max_replications < 2 || running.max_replications > 100000) {
    throw py::value_error("max_replications must be between 2 and 100000");
  }
  h2sim::RunOptions options;
  options.jobs = running.jobs;
  options.cancelled = interrupted;
  for (const std::string& text : running.until) {
    try {
      options.until.push_back(h2sim::parse_precision(text));
    } catch (const std::invalid_argument& e) {
      throw py::value_error(std::string("until ") + e.what());
    }
  }
  options.max_replications = running.max_replications;
  const auto& names = h2sim::quantile_intervals_by_name();
  const auto named = names.find(running.quantile_interval);
  if (named == names.end()) {
    std::string known;
    for (const auto& [name, _] : names) {
      known += (known.empty() ? "" : ", ") + name;
    }
    throw py::value_error("quantile_interval " + running.quantile_interval + ": one of " + known);
  }
  options.quantile_interval = named->second;
  return options;
}

/**
 * Runs `work` without the GIL; a cancelled run raises the signal's pending exception. When the
 * interpreter shut down meanwhile (a daemon thread at exit), the thread never takes the GIL back.
 */
template <class Work> auto without_gil(Work&& work) -> decltype(work()) {
  PyThreadState* const state = PyEval_SaveThread();
  const auto take_gil_back = [state] {
    if (finalizing()) {
      abandon_thread();
    }
    PyEval_RestoreThread(state);
  };
  try {
    auto result = work();
    take_gil_back();
    return result;
  } catch (const h2sim::Cancelled&) {
    take_gil_back();
    if (PyErr_Occurred() != nullptr) {
      throw py::error_already_set();
    }
    throw;
  } catch (...) {
    take_gil_back();
    throw;
  }
}

/**
 * What a call tells Python's `warnings` (the command line logs them): the scenarios' warnings,
 * each once however many points or values loaded it, through `tell(pointer, message)` before
 * anything runs where they are known by then (a filter that makes them errors stops the call
 * there); and the runs' failed replications and precisions not reached, returned beside the
 * document.
 */
class Told {
public:
  explicit Told(py::function tell) : tell_(std::move(tell)) {}

  /** Notes the scenario's warnings not told yet: without the GIL, as size's evaluations load. */
  void scenario_of(const h2sim::Scenario& scenario) { note(scenario.warnings()); }
  /** Notes warnings of the scenarios' making not told yet. */
  void note(const std::vector<h2sim::Warning>& warnings) {
    for (const h2sim::Warning& warning : warnings) {
      std::pair<std::string, std::string> entry{warning.pointer, warning.message};
      if (std::find(noted_.begin(), noted_.end(), entry) == noted_.end()) {
        noted_.push_back(std::move(entry));
      }
    }
  }
  /** Tells those noted since the last time (with the GIL). */
  void tell() {
    for (; told_ < noted_.size(); ++told_) {
      tell_(noted_[told_].first, noted_[told_].second);
    }
  }
  /** `where`: "" for a run, "point 1 (x=2): " for a sweep's point, ... */
  void run_of(const h2sim::Metrics& metrics, const std::string& where) {
    if (metrics.finished() == 0) { // a sweep's point: the others ran
      run_.push_back(where + "every replication failed: " + metrics.error());
    } else if (const std::string partial = metrics.partial_failure(); !partial.empty()) {
      run_.push_back(where + partial + ": " + metrics.error());
    }
    for (const std::string& unmet : metrics.unmet_precisions()) {
      run_.push_back(where + "until " + unmet);
    }
  }
  /** The document's text and the runs' warnings, once the scenarios' are all told. */
  using Result = std::pair<std::string, std::vector<std::string>>;
  Result with(std::string text) && {
    tell();
    return {std::move(text), std::move(run_)};
  }

private:
  py::function tell_;
  std::vector<std::pair<std::string, std::string>> noted_;
  std::size_t told_ = 0;
  std::vector<std::string> run_;
};

std::string text_of(const nlohmann::ordered_json& document) {
  return document.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// `sets` are the caller's overrides, `last` its seed and replications: applied after everything
// else, in the order `h2sim` applies --seed and --replications, so that `overrides` come out alike.

Told::Result run(const std::string& text, const std::string& base_dir, const Sets& sets,
                 const Sets& last, const Running& running, py::function tell) {
  const h2sim::Scenario scenario =
      load(text, base_dir, {overrides_of(sets), overrides_of(last, true)});
  const h2sim::RunOptions run_options = options(running);
  Told told(std::move(tell));
  told.scenario_of(scenario);
  told.tell();
  const h2sim::Metrics metrics =
      without_gil([&] { return h2sim::run_metrics(scenario, run_options); });
  if (metrics.finished() == 0) {
    throw h2sim::RunError("every replication failed: " + metrics.error());
  }
  told.run_of(metrics, "");
  return std::move(told).with(text_of(metrics.json()));
}

/**
 * A sweep axis: "PATH=V1,V2" or "PATH=FROM:TO:STEP" as --vary takes it; or (PATH, values), each
 * value one point's --set VALUE text, never split; or (PATH, "V1,V2" or "FROM:TO:STEP").
 */
using Axis =
    std::variant<std::string, std::pair<std::string, Texts>, std::pair<std::string, std::string>>;

Told::Result sweep(const std::string& text, const std::string& base_dir, const Sets& sets,
                   const Sets& last, const std::vector<Axis>& vary, const Running& running,
                   py::function tell) {
  if (vary.empty()) { // as `h2sim sweep` without --vary
    throw py::value_error("vary: nothing to vary (give at least one path and its values)");
  }
  std::vector<h2sim::SweepAxis> axes;
  for (const Axis& axis : vary) {
    if (const auto* given = std::get_if<std::pair<std::string, Texts>>(&axis)) {
      if (given->second.empty()) {
        throw py::value_error("vary " + given->first + ": no values");
      }
      axes.push_back({given->first, given->second});
    } else if (const auto* list = std::get_if<std::pair<std::string, std::string>>(&axis)) {
      try {
        axes.push_back(h2sim::sweep_axis(list->first, list->second));
      } catch (const h2sim::ExperimentError& error) { // named as Python gave it
        throw py::value_error("vary " + list->first + "=" + list->second + ": " + error.what());
      }
    } else {
      const std::string& written = std::get<std::string>(axis);
      try {
        axes.push_back(h2sim::parse_sweep_axis(written));
      } catch (const h2sim::ExperimentError& error) {
        throw py::value_error("vary " + written + ": " + error.what());
      }
    }
  }
  const std::vector<h2sim::SweepPoint> points = h2sim::sweep_points(axes, "vary");
  const Overrides first = overrides_of(sets);
  const Overrides after = overrides_of(last, true);
  std::vector<h2sim::Scenario> scenarios;
  std::vector<h2sim::Warning> unused_sets;        // a `set` that every point's `vary` replaces
  for (const h2sim::SweepPoint& point : points) { // every point is validated before any runs
    // Ctrl-C stops a long validation too (the 2025 plan takes 37 ms a point); other threads run
    // meanwhile, as size's evaluations let them.
    if (PyErr_CheckSignals() != 0) {
      throw py::error_already_set();
    }
    try {
      scenarios.push_back(without_gil([&] {
        return load(text, base_dir, {first, point.overrides, after});
      }));
    } catch (const h2sim::ScenarioError& error) {
      // Problems of the scenario and `set` alone are theirs, not the first point's (as the
      // command line reports them).
      if (scenarios.empty()) {
        load(text, base_dir, {first, after});
      }
      throw PointError{scenarios.size(), point.name, error};
    }
    std::vector<h2sim::Warning> unused = h2sim::check_axes_apart(scenarios.back(), point);
    if (scenarios.size() == 1) { // every point has the same fields changed
      unused_sets = std::move(unused);
    }
  }
  const h2sim::RunOptions run_options = options(running);
  Told told(std::move(tell));
  told.note(unused_sets);
  for (const h2sim::Scenario& scenario : scenarios) {
    told.scenario_of(scenario);
  }
  told.tell();
  const std::vector<h2sim::Metrics> metrics =
      without_gil([&] { return h2sim::run_all_metrics(scenarios, run_options); });
  // Each failure named by its point, as the command line names it.
  std::string errors;
  std::size_t finished = 0;
  for (std::size_t p = 0; p < metrics.size(); ++p) {
    finished += metrics[p].finished();
    if (!metrics[p].error().empty()) {
      errors += (errors.empty() ? "" : "; ") +
                ("point " + std::to_string(p) + " (" + points[p].name + "): " + metrics[p].error());
    }
  }
  if (finished == 0) {
    throw h2sim::RunError("every replication failed: " + errors);
  }
  for (std::size_t p = 0; p < metrics.size(); ++p) {
    told.run_of(metrics[p], "point " + std::to_string(p) + " (" + points[p].name + "): ");
  }
  return std::move(told).with(
      text_of(h2sim::with_provenance(h2sim::sweep_document(points, metrics, unused_sets))));
}

Told::Result size(const std::string& text, const std::string& base_dir, const Sets& sets,
                  const Sets& last, const std::string& param, const std::string& range_text,
                  const std::string& target_text, bool replications_given, const Running& running,
                  py::function tell) {
  h2sim::SizeRange range;
  h2sim::SizeTarget target;
  try {
    range = h2sim::parse_size_range(range_text);
  } catch (const h2sim::ExperimentError& error) {
    throw py::value_error("range " + range_text + ": " + error.what());
  }
  try {
    target = h2sim::parse_size_target(target_text);
    h2sim::check_target_can_hold(target);
  } catch (const h2sim::ExperimentError& error) {
    throw py::value_error("target " + target_text + ": " + error.what());
  }
  try {
    h2sim::check_size_param(param, "", "=");
  } catch (const h2sim::ExperimentError& error) {
    throw py::value_error("param " + param + ": " + error.what());
  }
  const Overrides first = overrides_of(sets);
  Overrides after = overrides_of(last, true);
  if (load(text, base_dir, {first, after}).replications() < 2) {
    if (replications_given) {
      throw py::value_error("replications: size needs at least 2 for a confidence interval");
    }
    after.push_back({"replications", std::to_string(h2sim::replications_for_intervals(
                                         !running.until.empty(), running.max_replications))});
  }
  const auto scenario_at = [&](long long value) {
    return load(text, base_dir, {first, {{param, std::to_string(value), "param"}}, after});
  };
  // Both ends are validated before anything runs.
  const h2sim::Scenario low = scenario_at(range.from);
  h2sim::check_not_scheduled(low, param + "=" + std::to_string(range.from));
  const h2sim::Scenario high = scenario_at(range.to);
  // A typo is told before anything runs.
  h2sim::check_metric_path_in_range(low, high, target.metric, param, range);
  const h2sim::RunOptions run_options = options(running);
  Told told(std::move(tell));
  told.scenario_of(low);
  told.scenario_of(high);
  told.tell(); // the values between are told once the search is over
  nlohmann::ordered_json result = without_gil([&] {
    return h2sim::size(param, range, target, [&](long long value) {
      const h2sim::Scenario scenario = scenario_at(value);
      told.scenario_of(scenario);
      h2sim::Metrics metrics = h2sim::run_metrics(scenario, run_options);
      told.run_of(metrics, "at " + param + " = " + std::to_string(value) + ": ");
      return metrics;
    });
  });
  // A field that takes any number is searched at whole values only, as the command says too.
  if (const std::string fractional = h2sim::fractional_param_warning(low, param, range);
      !fractional.empty()) {
    h2sim::add_first_warning(result, "param " + param + ": " + fractional);
  }
  return std::move(told).with(text_of(h2sim::with_provenance(std::move(result))));
}

/** Every problem as (pointer, message, of_option): an option's own is not the file's. */
std::vector<std::tuple<std::string, std::string, bool>>
validate(const std::string& text, const std::string& base_dir, const Sets& sets) {
  try {
    load(text, base_dir, {overrides_of(sets)});
  } catch (const h2sim::ScenarioError& error) {
    std::vector<std::tuple<std::string, std::string, bool>> problems;
    for (const h2sim::Problem& problem : error.problems()) {
      problems.emplace_back(problem.pointer, problem.message, problem.of_option);
    }
    return problems;
  }
  return {};
}

std::vector<std::pair<std::string, std::string>>
warnings(const std::string& text, const std::string& base_dir, const Sets& sets) {
  std::vector<std::pair<std::string, std::string>> warnings;
  // Named: warnings() refers into the scenario, which must outlive the loop.
  const h2sim::Scenario scenario = load(text, base_dir, {overrides_of(sets)});
  for (const h2sim::Warning& warning : scenario.warnings()) {
    warnings.emplace_back(warning.pointer, warning.message);
  }
  return warnings;
}

std::string schema(bool metrics) {
  return text_of(metrics ? h2sim::metrics_json_schema() : h2sim::scenario_json_schema());
}

void set_log_level(const std::string& level) {
  const spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    throw py::value_error("log level must be trace, debug, info, warning, error, critical or off");
  }
  h2sim::logger()->set_level(parsed);
}

} // namespace

PYBIND11_MODULE(_h2sim, m) {
  m.doc() = "h2sim's C++ core; use the h2sim package";
  static py::exception<h2sim::ScenarioError> scenario_error(m, "ScenarioError", PyExc_ValueError);
  static py::exception<h2sim::RunError> run_error(m, "RunError", PyExc_RuntimeError);
  /*
   * A ScenarioError with its `problems` ((pointer, message) pairs) and `point` (a sweep point's
   * index, or None). One problem is the message; several are all listed, as the command line
   * lists them; a sweep point's values lead each.
   */
  static const auto raise_scenario_error = [](const h2sim::ScenarioError& error,
                                              const std::string& where, const py::object& point) {
    py::list problems;
    // One problem is the message; from the problem, not what(): a key with a NUL cut it there.
    std::string message =
        where + (error.problems().size() == 1 ? error.problems().front().text() : error.what());
    for (const h2sim::Problem& problem : error.problems()) {
      problems.append(py::make_tuple(problem.pointer, problem.message));
    }
    if (error.problems().size() > 1) {
      message = where + std::to_string(error.problems().size()) + " problems:";
      for (const h2sim::Problem& problem : error.problems()) {
        message += "\n  " + problem.text();
      }
    }
    const auto type = py::reinterpret_borrow<py::object>(scenario_error.ptr());
    py::object instance = type(py::str(message));
    instance.attr("problems") = problems;
    instance.attr("point") = point;
    PyErr_SetObject(scenario_error.ptr(), instance.ptr());
  };
  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) {
        std::rethrow_exception(thrown);
      }
    } catch (const h2sim::ScenarioError& error) {
      raise_scenario_error(error, "", py::none());
    } catch (const PointError& error) {
      raise_scenario_error(error.error,
                           "point " + std::to_string(error.index) + " (" + error.name + "): ",
                           py::int_(error.index));
    } catch (const h2sim::RunError& error) {
      run_error(error.what());
    }
  });
  py::class_<Running>(m, "Running")
      .def(py::init([](int jobs, Texts until, std::size_t max_replications,
                       std::string quantile_interval) {
             return Running{jobs, std::move(until), max_replications, std::move(quantile_interval)};
           }),
           py::arg("jobs"), py::arg("until"), py::arg("max_replications"),
           py::arg("quantile_interval"));
  m.def("version", [] { return std::string(h2sim::version()); });
  m.def("run", &run, py::arg("text"), py::arg("base_dir"), py::arg("sets"), py::arg("last"),
        py::arg("running"), py::arg("tell"));
  m.def("sweep", &sweep, py::arg("text"), py::arg("base_dir"), py::arg("sets"), py::arg("last"),
        py::arg("vary"), py::arg("running"), py::arg("tell"));
  m.def("size", &size, py::arg("text"), py::arg("base_dir"), py::arg("sets"), py::arg("last"),
        py::arg("param"), py::arg("range"), py::arg("target"), py::arg("replications_given"),
        py::arg("running"), py::arg("tell"));
  m.def("validate", &validate, py::arg("text"), py::arg("base_dir"), py::arg("sets"));
  m.def("warnings", &warnings, py::arg("text"), py::arg("base_dir"), py::arg("sets"));
  m.def("schema", &schema, py::arg("metrics"));
  m.def("set_log_level", &set_log_level, py::arg("level"));
}
