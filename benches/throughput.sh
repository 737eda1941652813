#!/usr/bin/env bash
# Whole-command timings and peak memory of `fundsim simulate` on the default
# scenario, as reported in BENCHMARKS.md. Usage: benches/throughput.sh [PATHS...]
# (default 10000 100000). Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --locked --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%8s %7s %9s %10s %12s\n' paths threads seconds paths/s "peak MB"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
for paths in "${sizes[@]}"; do
    for threads in 1 2; do
        /usr/bin/time -o "$out/time" -f '%e %M' ./target/release/fundsim simulate --paths "$paths" \
            --threads "$threads" --out "$out/run" -q >/dev/null 2>&1
        read -r seconds kb <"$out/time"
        awk -v p="$paths" -v t="$threads" -v s="$seconds" -v k="$kb" \
            'BEGIN { printf "%8d %7d %9.2f %10.0f %12.1f\n", p, t, s, p / s, k / 1024 }'
    done
done
