#!/usr/bin/env bash
# Installs the build into a scratch prefix and builds two projects outside h2sim against it, one
# with find_package(h2sim), one with pkg-config; each runs a shipped scenario from the prefix and
# must print the mean wait the installed `h2sim run` prints for it.
# Usage: check.sh CMAKE BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR CXX [EXTRA_FLAGS]
set -euo pipefail
cmake=$1 build=$2 source=$3 work=$4 generator=$5 cxx=$6 flags=${7:-}
rm -rf "$work"
mkdir -p "$work/pkg-config"
prefix=$work/prefix
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log"
scenario=$prefix/share/h2sim/scenarios/validation/mmc-2.json
for file in bin/h2sim include/h2sim/h2sim.hpp include/h2sim/log.hpp lib/pkgconfig/h2sim.pc \
            lib/cmake/h2sim/h2simConfig.cmake lib/cmake/h2sim/h2simConfigVersion.cmake "${scenario#$prefix/}"; do
  [ -e "$prefix/$file" ] || { echo "not installed: $file" >&2; exit 1; }
done
if grep -rl "Random123" "$prefix/include"; then
  echo "the installed headers use Random123" >&2
  exit 1
fi
expected=$("$prefix/bin/h2sim" run "$scenario" -q --jobs 2 |
  /usr/bin/python3 -c 'import json, sys; print("%.17g" % json.load(sys.stdin)["totals"]["wait_min"]["mean"])')
echo "installed h2sim run: wait_min.mean = $expected"

"$cmake" -S "$source/tests/consumer/find_package" -B "$work/find_package" -G "$generator" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >"$work/find_package.log"
"$cmake" --build "$work/find_package" >>"$work/find_package.log"
got=$("$work/find_package/consumer" "$scenario")
echo "find_package consumer: $got"
[ "$got" = "$expected" ]

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# shellcheck disable=SC2046,SC2086
# (-rpath: a shared libh2sim outside the loader's paths, as any pkg-config user of one needs)
"$cxx" $flags -O1 "$source/tests/consumer/consumer.cpp" -o "$work/pkg-config/consumer" \
  $(pkg-config --cflags --libs h2sim) -Wl,-rpath,"$(pkg-config --variable=libdir h2sim)"
got=$("$work/pkg-config/consumer" "$scenario")
echo "pkg-config consumer: $got"
[ "$got" = "$expected" ]
