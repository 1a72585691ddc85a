// Must not compile: a model that reaches for the engine (tests/CMakeLists.txt expects the error).
#include "models/network.hpp"

#include <simgrid/s4u.hpp>
