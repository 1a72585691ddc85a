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

} // namespace h2sim::cli
