#include "report.hpp"

#include "common.hpp"
#include "output.hpp"
#include "validators.hpp"

#include <h2sim/h2sim.hpp>
#include <h2sim/report.hpp>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace h2sim::cli {

namespace {

struct ReportArgs {
  std::vector<std::string> inputs;
  std::string out;
  std::string scenario;
  std::string target = "totals.wait_min.p95<=5";
  std::string title;
  std::string events; // an event log of `run --events`: a station's queue over a day
  std::string station;
  std::optional<double> day;
};

/** An input that cannot be used: "h2sim: WHAT", exit 2. */
struct Unusable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string read_input(const std::string& path) {
  std::error_code error;
  if (path == "-" && !std::filesystem::exists(path, error)) {
    throw Unusable("cannot read -: standard input is not read; give the file's path");
  }
  if (std::filesystem::is_directory(path, error)) {
    throw Unusable("cannot read " + path + ": it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Unusable("cannot read " + path + ": " + std::strerror(errno));
  }
  constexpr std::size_t max_bytes = std::size_t{256} << 20; // never read /dev/zero without end
  std::string text;
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      throw Unusable("cannot read " + path + ": larger than 256 MiB");
    }
  }
  return text;
}

nlohmann::ordered_json parse(const std::string& path, const std::string& text) {
  try {
    return parse_report_input(text);
  } catch (const ReportError& e) {
    throw Unusable(path + ": " + e.what());
  }
}

/**
 * The scenario an output was made from, by name ("" when it does not say). Reads only what is
 * there: the report checks the input's shape later, with a message.
 */
std::string scenario_name(const nlohmann::ordered_json& output) {
  using json = nlohmann::ordered_json;
  const auto member = [](const json* object, const char* key) -> const json* {
    if (object == nullptr || !object->is_object()) {
      return nullptr;
    }
    const auto found = object->find(key);
    return found == object->end() ? nullptr : &*found;
  };
  const auto first_metrics = [&](const char* list) -> const json* {
    const json* items = member(&output, list);
    if (items == nullptr || !items->is_array() || items->empty()) {
      return nullptr;
    }
    return member(&items->front(), "metrics");
  };
  const json* named = &output;
  if (const json* points = member(&output, "points"); points != nullptr && points->is_array()) {
    named = first_metrics("points");
  } else if (const json* scenarios = member(&output, "scenarios");
             scenarios != nullptr && scenarios->is_array()) {
    named = first_metrics("scenarios"); // h2sim compare
  }
  const json* name = member(named, "scenario");
  return name != nullptr && name->is_string() ? name->get<std::string>() : "";
}

int run_report(const ReportArgs& args) {
  if (!args.out.empty() && args.out != "-") {
    if (const auto problem = output_path_problem(args.out)) {
      throw Unusable("-o " + args.out + ": " + *problem);
    }
    std::vector<std::string> read = args.inputs;
    read.push_back(args.scenario);
    read.push_back(args.events);
    if (const auto problem = overwrites_input(args.out, read)) {
      throw Unusable("-o " + args.out + ": " + *problem);
    }
  }
  std::vector<ReportInput> inputs;
  for (const std::string& path : args.inputs) {
    inputs.push_back(
        {std::filesystem::path(path).filename().string(), parse(path, read_input(path))});
  }
  ReportOptions options;
  options.target = args.target;
  options.title = args.title;
  if (!args.scenario.empty()) {
    const std::string text = read_input(args.scenario);
    options.scenario = parse(args.scenario, text);
    options.scenario_label = args.scenario;
    // The page reads positions and key inputs from any JSON with stations, but one `validate`
    // refuses (0 dispensers) was drawn without a word. The outputs' overrides may have mended it,
    // so a warning, not a refusal.
    try {
      (void)load_scenario(text, {}, base_dir_of(args.scenario));
    } catch (const ScenarioError& error) {
      const std::vector<Problem>& problems = error.problems();
      const std::size_t more = problems.empty() ? 0 : problems.size() - 1;
      spdlog::warn(
          "--scenario {}: not a valid scenario as it stands ({}{}; h2sim validate "
          "lists them all): the page draws its positions and key inputs as written",
          valid_utf8(args.scenario),
          problems.empty() ? std::string(error.what())
                           : problems.front().pointer + ": " + problems.front().message,
          more == 0 ? "" : "; " + std::to_string(more) + " more problem" + (more == 1 ? "" : "s"));
    } catch (const std::exception&) {
      // Not a scenario at all: html_report says so, with its own message.
    }
  } else {
    // Outputs of the built-in scenario get its positions without --scenario.
    const auto builtin = nlohmann::ordered_json::parse(default_scenario_text());
    const std::string name = builtin.value("name", "");
    for (const ReportInput& input : inputs) {
      if (scenario_name(input.output) == name) {
        options.scenario = builtin;
        options.scenario_label = "the built-in " + name + " (--scenario FILE to use another)";
        break;
      }
    }
  }
  if (!args.events.empty()) {
    if (args.station.empty() || !args.day) {
      throw Unusable("--events " + args.events +
                     ": needs --station ID and --day D (the day's "
                     "number from the start of the run)");
    }
    std::error_code error;
    if (std::filesystem::is_directory(args.events, error)) {
      throw Unusable("cannot read " + args.events + ": it is a directory");
    }
    std::ifstream log(args.events, std::ios::binary);
    if (!log) {
      throw Unusable("cannot read " + args.events + ": " + std::strerror(errno));
    }
    try {
      options.queue_day = queue_over_day(log, args.station, *args.day);
    } catch (const ReportError& e) {
      throw Unusable(args.events + ": " + e.what());
    }
  } else if (!args.station.empty() || args.day) {
    throw Unusable("--station and --day draw a station's queue from --events LOG: give the log");
  }
  std::string page;
  try {
    page = html_report(inputs, options);
  } catch (const ReportError& e) {
    throw Unusable(e.what());
  }
  if (args.out.empty() || args.out == "-") {
    write_stdout(page, "the report");
  } else {
    write_output(args.out, page);
  }
  return 0;
}

} // namespace

std::function<std::optional<int>()> add_report_command(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  auto* command = app.add_subcommand(
      "report", "write one self-contained HTML page (charts, map, tables, comparison) over h2sim "
                "outputs: run, sweep, size or compare; several are compared side by side");
  command->add_option("INPUT", args->inputs, "h2sim output JSON files (one or several)")
      ->required()
      ->check(not_empty());
  command
      ->add_option("-o,--out", args->out,
                   "write the HTML there: a file is replaced atomically, a device or FIFO "
                   "written to (default: stdout)")
      ->check(an_output());
  command
      ->add_option("--scenario", args->scenario,
                   "the scenario file the outputs come from: station positions (the map), "
                   "names and key inputs (default: the built-in scenario for its outputs)")
      ->check(not_empty());
  command
      ->add_option("--target", args->target,
                   "the policy target drawn and judged: totals.METRIC<=VALUE or >=VALUE "
                   "(default totals.wait_min.p95<=5; a size output is drawn against its own "
                   "targets, on any metric)")
      ->check(not_empty());
  command->add_option("--title", args->title, "the page's title (default: h2sim report)")
      ->check(not_empty());
  command
      ->add_option("--events", args->events,
                   "an event log of run --events (CSV or JSON Lines): draw --station's queue "
                   "over --day")
      ->check(not_empty());
  command->add_option("--station", args->station, "with --events: the station's id")
      ->check(not_empty());
  command->add_option(
      "--day", args->day,
      "with --events: the day (from the start of the run, warm-up included; the whole "
      "day D falls in)");
  return [args, command]() -> std::optional<int> {
    if (!command->parsed()) {
      return std::nullopt;
    }
    try {
      return run_report(*args);
    } catch (const Unusable& e) {
      std::cerr << "h2sim: " << valid_utf8(e.what()) << "\n"; // it may name a file
      return 2;
    }
  };
}

} // namespace h2sim::cli
