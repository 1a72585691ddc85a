#!/usr/bin/env bash
# Every C++ source of the project follows .clang-format (clang-format --dry-run --Werror).
# Usage: check_format.sh CLANG_FORMAT SOURCE_DIR
set -euo pipefail
clang_format=$1
cd "$2"
mapfile -t files < <(find lib cli tests bench python -name build -prune -o \
  \( -name '*.cpp' -o -name '*.hpp' \) -print | sort)
if ! "$clang_format" --dry-run --Werror "${files[@]}"; then
  echo "Some files are not formatted: run  $clang_format -i \$(git ls-files '*.cpp' '*.hpp')" >&2
  exit 1
fi
echo "${#files[@]} files follow .clang-format"
