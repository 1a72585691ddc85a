#pragma once

#include <h2sim/h2sim.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace h2sim::scenario {

/** Where and why an override changed nothing (see apply_override). */
struct Unchanged {
  std::string pointer;
  std::string why; // what follows "changed nothing: "; empty: its key is in no item reached
};

/**
 * Applies `override` to `document`. The path language (one way to say a change, for --set,
 * --vary, and a scenario's scheduled events):
 *   - a dotted path (`stations.0.dispensers`) or a JSON pointer (`/stations/0/dispensers`);
 *   - `*` stands for every item of an array (`stations.*.dispensers`);
 *   - `[key=value]` selects the items of an array whose `key` is `value`
 *     (`stations[id=JD-03].dispensers`, `demand.classes[name=taxi].count`); `key` may be a
 *     dotted path inside the item (`stations[supply.model=pipeline]`);
 *   - with `*` or a selection, `=` sets the key in every item reached, adding it where absent:
 *     an item that may not have it is then told so, naming the override;
 *   - the path may end with an operator: `+`, `-` or `*` before the `=` of PATH=VALUE adds,
 *     subtracts or multiplies a number (`count*` with value 0.9); `*` also scales a distribution
 *     (its value, mean, sd, bounds and values: "trailers take twice as long").
 * `value` is JSON, else a string. Every problem is appended (naming the override and why); the
 * values changed are appended to `changes` (their `set` left to the caller). Messages begin with
 * the override as `shown`. Returns, for a warning, where and why it changed nothing:
 * - for `+`, `-` or `*` under `*` or a selection that found the key in no item it reached, or not
 *   even the object the key is in (a misspelt key, or one of a model this document does not use):
 *   the pointer of the first such item (and no `why`);
 * - for a `[key=value]` by a key other than `id` or `name` that picked no item (a model's value,
 *   `stations[supply.model=pipeline]`), whatever the operator: the array's pointer, and why.
 * Else nothing. (Not a problem: one --set is applied to every scenario of a comparison and every
 * point of a sweep, and may fit only some of them. An `[id=...]` or `[name=...]` that picks
 * nothing is a problem: it names one item.)
 */
std::optional<Unchanged> apply_override(nlohmann::json& document, const Override& override,
                                        std::vector<Problem>& problems,
                                        std::vector<Change>& changes);

/** The warning for an override that changed nothing (`unchanged`, as apply_override said). */
Warning changed_nothing(const Override& override, const Unchanged& unchanged);

/**
 * An override as messages quote it: as the user wrote it, else "OPTION PATH=VALUE" ("PATH=VALUE"
 * without an option), the value cut short and the text valid UTF-8.
 */
std::string shown(const Override& override);

} // namespace h2sim::scenario
