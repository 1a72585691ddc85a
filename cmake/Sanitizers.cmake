# ASan + UBSan as an INTERFACE target; every h2sim target links it, so it is all or nothing.
add_library(h2sim_sanitizers INTERFACE)
if(H2SIM_SANITIZE)
  target_compile_options(h2sim_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(h2sim_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
