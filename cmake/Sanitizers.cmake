# ASan + UBSan as an INTERFACE target; every h2sim target links it, so it is all or nothing.
add_library(h2sim_sanitizers INTERFACE)
if(H2SIM_SANITIZE)
  target_compile_options(h2sim_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(h2sim_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

# Fuzzing: libFuzzer's coverage instrumentation on every h2sim target (the fuzz binaries link the
# fuzzer itself); it needs clang, and comes with ASan + UBSan (the fuzz preset sets both).
if(H2SIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "H2SIM_FUZZ needs clang++ (libFuzzer): use `cmake --preset fuzz`")
  endif()
  target_compile_options(h2sim_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
  target_link_options(h2sim_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()
