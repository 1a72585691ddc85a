#include "commands.hpp"

int main(int argc, char** argv) { return h2sim::cli::main(argc, argv); }
