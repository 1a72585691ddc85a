#pragma once

#include "../core/params.hpp"
#include "schema.hpp"

#include <h2sim/h2sim.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace h2sim::scenario {

/**
 * The generic reader of declared parameters (core/params.hpp): the one place that knows how a
 * table's fields look in JSON. From a table come the validation shape (messages with JSON
 * pointers), `h2sim schema`, and the filled struct.
 */

/** The validation and schema shape of `table`. */
NodePtr shape_of(const params::Table& table);

/**
 * Validates `document` against `table` and fills `target` (a default-constructed struct of the
 * table's type) with every value that is valid, then runs the tables' rules (each only over
 * valid values) and checks unique keys and references. Appends every problem found.
 */
void read(const nlohmann::json& document, const params::Table& table, void* target,
          std::vector<Problem>& problems);

/**
 * What `read` would make of `document`, given `target` as `read` made it of a document that
 * differs only at the pointers `changed` (each a value an override set, several may name one):
 * re-validates and re-fills those values alone, then runs every rule and check again, as `read`
 * does. The problems are the same as a whole read's, not always in its order, and an invalid
 * value keeps what `target` had: read a document with problems whole to report them. False, with
 * `target` and `problems` untouched, when a change is not one it can re-read alone (a value
 * removed, a whole list item, a list or text field); `read` must then read the document whole.
 */
bool reread(const nlohmann::json& document, const params::Table& table, void* target,
            const std::vector<std::string>& changed, std::vector<Problem>& problems);

/**
 * The declared field a JSON pointer of `document` lands in (a distribution's parameters and a
 * list of numbers' items belong to the field), or null: the tables are walked along the document,
 * which says which model a `model` field holds. The last key need not be in the document (a seed
 * left to its default is still the declared integer field).
 */
const params::Field* field_at(const nlohmann::json& document, const params::Table& root,
                              const std::string& pointer);

/** The JSON Schema (draft 2020-12) of `table`. */
nlohmann::ordered_json json_schema(const params::Table& table);

/**
 * A reference of `table` in Markdown: one section per object (and per model of a catalog), each
 * field with what it takes, its default and its description — docs/scenario-reference.md.
 */
std::string markdown_reference(const params::Table& table, const std::string& title);

} // namespace h2sim::scenario
