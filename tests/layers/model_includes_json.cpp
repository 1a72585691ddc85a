// Must not compile: a model that reads a file format (tests/CMakeLists.txt expects the error).
#include "models/station.hpp"

#include <nlohmann/json.hpp>
