#pragma once

#include <string>
#include <string_view>

namespace h2sim {

/** The SHA-256 digest (FIPS 180-4) of `bytes`, as 64 lowercase hex digits. */
std::string sha256_hex(std::string_view bytes);

} // namespace h2sim
