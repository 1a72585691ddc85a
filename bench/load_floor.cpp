// What loading SimGrid alone costs a process on this platform: the floor under h2sim's start-up.
//
// It links libsimgrid, asks it its version (so the link cannot be dropped as unneeded) and exits.
// Debian's libsimgrid is built with ns-3, so loading it loads some 25 ns-3 libraries and runs
// their static initializers before main; an empty program linked against it takes about 36 ms on
// the development machine against about 1 ms for one that is not (bench/results/
// 2026-12-02-load-floor.json). Every h2sim process pays this before reading its scenario, and
// run.py reports it beside the Poisson benchmark, whose whole run takes about 0.2 s.
//
// Prints one JSON line: the version of the library it loaded.

// <simgrid/version.h> uses macros it does not include (SG_BEGIN_DECL, XBT_PUBLIC): base.h first.
// clang-format off
#include <xbt/base.h>
#include <simgrid/version.h>
// clang-format on

#include <cstdio>

int main() {
  int major = 0;
  int minor = 0;
  int patch = 0;
  sg_version_get(&major, &minor, &patch);
  std::printf("{\"simgrid\": \"%d.%d.%d\"}\n", major, minor, patch);
  return 0;
}
