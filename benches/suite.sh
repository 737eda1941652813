#!/usr/bin/env bash
# The benchmark set of BENCHMARKS.md in one run, on the default scenario:
# whole fundsim commands timed with GNU time (wall seconds, peak resident
# memory), each against its goal. Timing goals live here, never in tests.
#   simulate 10,000 paths on 1 and 2 threads, and 100,000 for memory;
#   rates --solve at 2,000 paths; stress with the 6 shipped overlays × 7
#   schemes at 1,000 paths; sensitivity at 2,000 paths.
# Usage: benches/suite.sh [--quick] [--repeat N]
#   --quick: a tenth of every path count, for checking the script (its
#   goals are not the issue's); --repeat N: run each task N times (default
#   1) and report the fastest and the median wall time, the goal judged on
#   the median: single runs on a shared machine can swing by ±20 %.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scale=1
repeat=1
while [ $# -gt 0 ]; do
    case $1 in
        --quick) scale=10 ;;
        --repeat)
            repeat=${2:-}
            shift
            ;;
        *)
            echo "usage: benches/suite.sh [--quick] [--repeat N]" >&2
            exit 2
            ;;
    esac
    shift
done
case $repeat in
    '' | *[!0-9]* | 0)
        echo "--repeat wants a whole number from 1, got '$repeat'" >&2
        exit 2
        ;;
esac
cargo build --release --locked --quiet
bin=./target/release/fundsim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

stresses=()
for f in scenarios/stress/*.toml; do stresses+=(--stress "$f"); done
schemes=()
for s in none fixed_ratio responsibility performance budget_linked loan surplus_return; do
    schemes+=(--scheme "$s")
done

printf '%-34s %9s %8s %8s %9s %9s  %s\n' task paths fastest median "peak MB" goal met
# bench NAME PATHS GOAL_SECONDS GOAL_MB COMMAND...
bench() {
    local name=$1 paths=$2 goal_s=$3 goal_mb=$4
    shift 4
    : >"$out/times"
    for _ in $(seq "$repeat"); do
        rm -rf "$out/run"
        /usr/bin/time -o "$out/time" -f '%e %M' "$@" --out "$out/run" -q >/dev/null 2>"$out/err" || {
            echo "$name failed:" >&2
            cat "$out/err" >&2
            exit 1
        }
        cat "$out/time" >>"$out/times"
    done
    sort -n "$out/times" | awk -v n="$name" -v p="$paths" -v gs="$goal_s" -v gm="$goal_mb" '
        { s[NR] = $1; if ($2 > kb) kb = $2 }
        END {
            median = (NR % 2 ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2)
            mb = kb / 1024
            goal = (gs != "-" ? "≤ " gs " s" : "") (gm != "-" ? "≤ " gm " MB" : "")
            ok = (gs == "-" || median <= gs) && (gm == "-" || mb <= gm)
            printf "%-34s %9d %8.2f %8.2f %9.1f %9s  %s\n", n, p, s[1], median, mb, goal, ok ? "yes" : "NO"
        }'
}

p=$((10000 / scale))
bench "simulate, 1 thread" $p 10 - $bin simulate --paths $p --threads 1
bench "simulate, 2 threads" $p 5 - $bin simulate --paths $p --threads 2
p=$((100000 / scale))
bench "simulate, 2 threads (memory)" $p - 200 $bin simulate --paths $p --threads 2
p=$((2000 / scale))
bench "rates --solve" $p 10 - $bin rates --solve --paths $p
p=$((1000 / scale))
bench "stress 6 overlays × 7 schemes" $p 30 - $bin stress "${stresses[@]}" "${schemes[@]}" --paths $p
p=$((2000 / scale))
bench "sensitivity" $p 20 - $bin sensitivity --paths $p
