#!/usr/bin/env bash
# A real Slurm array run of fundsim on a one-node cluster set up on this
# machine from Debian's packages (slurm-wlm, munge): slurmctld and slurmd on
# localhost, no accounting database. It
#   1. runs CHECK_PATHS paths as CHECK_SHARDS array tasks, merges the shards
#      and checks the merged folder byte for byte (diff -r) against a
#      single-process run of the same seed;
#   2. runs BIG_PATHS paths as BIG_SHARDS tasks and reports the wall time,
#      the peak memory of the largest shard, and the merge's time and memory.
# Needs root (it installs packages and starts daemons). Not part of CI.
#
# Usage: scripts/slurm-demo.sh [CHECK_PATHS CHECK_SHARDS BIG_PATHS BIG_SHARDS]
#        (default 20000 8 1000000 50)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
check_paths=${1:-20000}
check_shards=${2:-8}
big_paths=${3:-1000000}
big_shards=${4:-50}
seed=20250101
work=${SLURM_DEMO_DIR:-/tmp/fundsim-slurm-demo}

say() { printf '\n== %s\n' "$*"; }

say "packages"
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge time >/dev/null
fi
slurmctld -V

say "munge"
if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
mkdir -p /run/munge && chown munge:munge /run/munge
pgrep -x munged >/dev/null || runuser -u munge -- munged
munge -n | unmunge | grep -q 'STATUS: *Success'
echo "munge credential round trip: ok"

say "slurm configuration (one node: $(hostname -s), $(nproc) CPUs)"
node=$(hostname -s)
memory=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat >/etc/slurm/slurm.conf <<EOF
ClusterName=fundsim-demo
SlurmctldHost=$node
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MaxArraySize=1001
NodeName=$node CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=demo Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 60); do
    sinfo -h -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)' && break
    sleep 1
done
scontrol update nodename="$node" state=resume 2>/dev/null || true
sinfo

say "fundsim"
cargo build --release --locked --quiet
fundsim=$repo/target/release/fundsim
rm -rf "$work" && mkdir -p "$work"

# One array job: task i runs shard i+1 of N under /usr/bin/time, which
# records its wall time and peak memory.
array() {
    local name=$1 paths=$2 shards=$3 dir=$work/$1
    mkdir -p "$dir/shards" "$dir/times" "$dir/logs"
    cat >"$dir/task.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
i=\$((SLURM_ARRAY_TASK_ID + 1))
/usr/bin/time -o "$dir/times/\$i" -f '%e %M' \\
    "$fundsim" simulate --paths $paths --seed $seed --threads 1 \\
    --shard "\$i/$shards" --out "$dir/shards/\$i" -q
EOF
    chmod +x "$dir/task.sh"
    local start end
    start=$(date +%s.%N)
    sbatch --wait --job-name="fundsim-$name" --array=0-$((shards - 1)) \
        --cpus-per-task=1 --output="$dir/logs/%a.out" --chdir="$dir" "$dir/task.sh"
    end=$(date +%s.%N)
    local missing
    missing=$(for i in $(seq "$shards"); do [ -f "$dir/shards/$i/manifest.json" ] || echo "$i"; done)
    if [ -n "$missing" ]; then
        echo "shards missing: $missing" >&2
        exit 1
    fi
    awk -v s="$start" -v e="$end" -v n="$shards" -v p="$paths" \
        'BEGIN { printf "array %s: %d paths in %d tasks: %.1f s wall\n", "'"$name"'", p, n, e - s }'
    sort -k2 -n "$dir"/times/* | tail -1 |
        awk '{ printf "largest shard: %.1f s, peak memory %.1f MB\n", $1, $2 / 1024 }'
    /usr/bin/time -o "$dir/merge.time" -f '%e %M' \
        "$fundsim" merge "$dir"/shards/* --out "$dir/merged" >/dev/null
    awk '{ printf "merge: %.1f s, peak memory %.1f MB\n", $1, $2 / 1024 }' "$dir/merge.time"
}

say "check: $check_paths paths in $check_shards shards against one process"
array check "$check_paths" "$check_shards"
/usr/bin/time -o "$work/single.time" -f '%e %M' \
    "$fundsim" simulate --paths "$check_paths" --seed "$seed" --out "$work/single" -q >/dev/null
awk '{ printf "single process (2 threads): %.1f s, peak memory %.1f MB\n", $1, $2 / 1024 }' "$work/single.time"
if diff -r "$work/check/merged" "$work/single" >/dev/null; then
    echo "merged shards and the single run: byte-identical ($(find "$work/single" -type f | wc -l) files)"
else
    diff -r "$work/check/merged" "$work/single" | head -20
    echo "merged shards differ from the single run" >&2
    exit 1
fi

say "scale: $big_paths paths in $big_shards shards"
array big "$big_paths" "$big_shards"
echo "merged folder: $(du -sh "$work/big/merged" | cut -f1), shards: $(du -sh "$work/big/shards" | cut -f1)"
