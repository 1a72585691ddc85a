#pragma once

namespace CLI {
class Validator;
}

namespace h2sim::cli {

/**
 * -o's value: a file's path, or "-" for stdout; not empty, which would be taken for no -o at all
 * and write to stdout where a file was meant (`-o "$OUT"` with OUT unset).
 */
const CLI::Validator& an_output();

/**
 * A path, id, list or metric that an empty value would silently drop (`"$UNSET"`): a scenario
 * "" was the built-in one, a candidates CSV "" none at all.
 */
const CLI::Validator& not_empty();

} // namespace h2sim::cli
