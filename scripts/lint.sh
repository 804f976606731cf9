#!/usr/bin/env bash
# The mechanical checks CI runs before the tests: every C++ file in src/, tests/, bench/ and
# fuzz/ is formatted as .clang-format says (clang-format 14, Debian 12's). Prints where files
# differ; `scripts/lint.sh --fix` rewrites them in place.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t files < <(git ls-files -co --exclude-standard -- \
  'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp' \
  'fuzz/*.cpp' 'fuzz/*.hpp')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi

if ! clang-format --dry-run --Werror "${files[@]}"; then
  echo "lint: files above are not clang-formatted (scripts/lint.sh --fix rewrites them)" >&2
  exit 1
fi
echo "lint: ${#files[@]} files formatted"
