# Every dependency is a Debian package (see README.md). SimGrid ships no CMake package, and upstream's
# FindSimGrid.cmake forces C++14, so it is found through pkg-config.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SimGrid REQUIRED IMPORTED_TARGET simgrid>=3.32)
find_package(nlohmann_json 3.11 CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
if(H2SIM_BUILD_CLI OR H2SIM_BUILD_TESTS)
  find_package(CLI11 CONFIG REQUIRED)
endif()
find_package(Boost 1.74 REQUIRED)
find_package(Threads REQUIRED) # report::ObserverThread
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
add_library(h2sim_random123 INTERFACE)
target_include_directories(h2sim_random123 SYSTEM INTERFACE "${RANDOM123_INCLUDE_DIR}")

# Cluster runs (optional): OpenMPI from Debian; without it, h2sim runs on one machine only.
find_package(MPI COMPONENTS CXX QUIET)
include(CMakeDependentOption)
cmake_dependent_option(H2SIM_WITH_MPI "Spread replications over MPI ranks under mpirun" ON
                       "MPI_CXX_FOUND" OFF)
