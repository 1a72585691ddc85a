#include "commands.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
  const int code = h2sim::cli::main(argc, argv);
  // Every output is written, committed and closed by now (outputs go in atomically). What a
  // normal exit would add is tearing down the libraries' static objects, ns-3's loaded by
  // SimGrid among them: some 10 ms a process, for nothing. Flush what is buffered and leave.
  // (Nothing of h2sim's runs at exit. A build that must, coverage or LeakSanitizer, would have
  // to return here instead.)
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(code);
}
