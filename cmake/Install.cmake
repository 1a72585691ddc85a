# `cmake --install`: the h2sim command, the library, its public headers, the shipped scenarios, a
# CMake package (find_package(h2sim): the target h2sim::h2sim) and a pkg-config file (h2sim.pc).
include(CMakePackageConfigHelpers)

set(H2SIM_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/h2sim" CACHE STRING
    "Where h2simConfig.cmake goes, relative to the prefix")

install(TARGETS h2sim_lib EXPORT h2simTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY "${PROJECT_SOURCE_DIR}/lib/include/h2sim"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/scenarios/"
  DESTINATION ${CMAKE_INSTALL_DATADIR}/h2sim/scenarios
  FILES_MATCHING PATTERN "*.json" PATTERN "*.csv")
if(TARGET h2sim AND H2SIM_BUILD_CLI)
  # A shared libh2sim is found beside the command's prefix.
  set_target_properties(h2sim PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
  install(TARGETS h2sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(EXPORT h2simTargets NAMESPACE h2sim:: FILE h2simTargets.cmake
  DESTINATION ${H2SIM_INSTALL_CMAKEDIR})
configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/package/h2simConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/package/h2simConfig.cmake"
  INSTALL_DESTINATION ${H2SIM_INSTALL_CMAKEDIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/package/h2simConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/package/h2simConfig.cmake"
              "${PROJECT_BINARY_DIR}/package/h2simConfigVersion.cmake"
  DESTINATION ${H2SIM_INSTALL_CMAKEDIR})

# pkg-config: a static libh2sim needs SimGrid on its users' link line (Requires), a shared one
# only for itself (Requires.private).
if(H2SIM_SHARED)
  set(H2SIM_PC_REQUIRES "nlohmann_json >= 3.11, spdlog")
  set(H2SIM_PC_REQUIRES_PRIVATE "simgrid >= 3.32")
else()
  set(H2SIM_PC_REQUIRES "nlohmann_json >= 3.11, spdlog, simgrid >= 3.32")
  set(H2SIM_PC_REQUIRES_PRIVATE "")
endif()
# Relocatable: the prefix is found from the file's own place, so `--prefix` at install time holds.
string(REGEX REPLACE "[^/]+" ".." H2SIM_PC_UP "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
configure_file("${CMAKE_CURRENT_LIST_DIR}/package/h2sim.pc.in" "${PROJECT_BINARY_DIR}/package/h2sim.pc"
  @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/package/h2sim.pc"
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
