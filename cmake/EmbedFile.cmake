# h2sim_embed_file(OUT_CPP SYMBOL FILE): generates a .cpp defining
#   extern const std::string_view SYMBOL;  with the contents of FILE, regenerated when FILE changes.
function(h2sim_embed_file out_cpp symbol file)
  add_custom_command(
    OUTPUT "${out_cpp}"
    COMMAND "${CMAKE_COMMAND}" -DIN=${file} -DOUT=${out_cpp} -DSYMBOL=${symbol}
            -P "${PROJECT_SOURCE_DIR}/cmake/EmbedFileScript.cmake"
    DEPENDS "${file}" "${PROJECT_SOURCE_DIR}/cmake/EmbedFileScript.cmake"
    COMMENT "Embedding ${file}"
    VERBATIM)
endfunction()
