#!/usr/bin/env bash
# Mutation testing of the domain and the application (docs/development.md,
# "Tests"): cargo-mutants changes their code one small edit at a time and
# runs each crate's own tests; a mutant that no test fails is "missed".
# Not part of .ci/run: it builds once per mutant and takes long.
# Usage: scripts/mutants.sh [crate...] (default: domain application);
# results in target/mutants/<crate>/mutants.out.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_MUTANTS_VERSION=27.1.0
if [ "$(cargo mutants --version 2>/dev/null)" != "cargo-mutants $CARGO_MUTANTS_VERSION" ]; then
  cargo install --locked --version "$CARGO_MUTANTS_VERSION" cargo-mutants
fi

crates=("$@")
[ ${#crates[@]} -gt 0 ] || crates=(domain application)
status=0
for crate in "${crates[@]}"; do
  # Each crate judged by its own tests only, as the target in
  # docs/development.md is stated.
  mkdir -p "target/mutants/$crate"
  cargo mutants --package "$crate" --test-package "$crate" \
    --output "target/mutants/$crate" || status=$?
  echo "$crate: $(wc -l <"target/mutants/$crate/mutants.out/caught.txt") caught," \
    "$(wc -l <"target/mutants/$crate/mutants.out/missed.txt") missed," \
    "$(wc -l <"target/mutants/$crate/mutants.out/timeout.txt") timed out," \
    "$(wc -l <"target/mutants/$crate/mutants.out/unviable.txt") unviable"
done
exit "$status"
