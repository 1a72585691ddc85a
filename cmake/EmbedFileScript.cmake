# Writes OUT (C++) defining SYMBOL as a std::string_view over the bytes of IN.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUT}" "#include <string_view>\nnamespace h2sim::embedded {\nstatic const char ${SYMBOL}_bytes[] = {${bytes} '\\0'};\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL}{${SYMBOL}_bytes, sizeof(${SYMBOL}_bytes) - 1};\n}\n")
