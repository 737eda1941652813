#!/usr/bin/env bash
# The fuzzer outside CI (docs/fuzzing.md): N mutated inputs in all (default
# 1,000,000), split evenly over scenarios, overlays, schedules, actuals and
# shard folders, in release mode on two lanes (FUNDSIM_FUZZ_LANES), from
# seed FUNDSIM_FUZZ_SEED. Prints the table of outcomes by kind, examples of
# every failure, and the wall time. Usage: benches/fuzz.sh [N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${1:-1000000}
started=$(date +%s)
status=0
FUNDSIM_FUZZ_CASES=$n FUNDSIM_FUZZ_LANES=${FUNDSIM_FUZZ_LANES:-2} \
    cargo test --release --locked --lib --quiet tests::fuzz::fuzzed_inputs -- --nocapture || status=$?
echo "fuzz: $n inputs, wall time $(($(date +%s) - started)) s, $(nproc) cores, exit $status"
exit $status
