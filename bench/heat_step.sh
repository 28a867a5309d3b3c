#!/usr/bin/env bash
# Side-by-side timing of one heat SIP training step at batch 128:
# physgrad (`physgrad bench heat-step`, the code path of `physgrad train
# heat`) and the same U-Net step in PyTorch (bench/unet_torch.py: forward,
# 1/2*sum loss, backward, Adam; no physics, so the comparison favours
# torch), both on 2 threads, run one after the other; torch twice, with
# glibc's default malloc and with freed memory kept in the heap. Prints
# the medians and the ratios physgrad / torch. Without a python3 that can
# import torch it prints physgrad's numbers and says so.
#
# Usage: bench/heat_step.sh [--batch N] [--steps K]   (defaults 128, 10)
# Environment: PYTHON=/path/to/python3 picks the interpreter for torch
# (PYTHON=none: physgrad only).
set -euo pipefail

batch=128
steps=10
while [ $# -gt 0 ]; do
	case "$1" in
	--batch) batch="$2"; shift 2 ;;
	--steps) steps="$2"; shift 2 ;;
	*) echo "usage: $0 [--batch N] [--steps K]" >&2; exit 2 ;;
	esac
done

cd "$(dirname "$0")/.."
# Pin both sides to two threads: GOMAXPROCS for Go, torch.set_num_threads
# (and OpenMP) for PyTorch.
export GOMAXPROCS=2 OMP_NUM_THREADS=2 MKL_NUM_THREADS=2

# physgrad: build once so compilation is not timed.
bin="$(mktemp -d)/physgrad"
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/physgrad
# Progress lines go to stderr; keep them out of the report unless it fails.
log="$(dirname "$bin")/physgrad.log"
if ! pg="$("$bin" bench heat-step --batch "$batch" --steps "$steps" --json 2>"$log")"; then
	cat "$log" >&2
	exit 1
fi

# A python3 with torch: $PYTHON if set (only that one), else the one on
# PATH, then Debian's (python3-torch installs into /usr/bin/python3, which a
# pyenv or venv python3 earlier on PATH does not see).
py=""
cands="python3 /usr/bin/python3"
if [ -n "${PYTHON:-}" ]; then cands="$PYTHON"; fi
for cand in $cands; do
	if "$cand" -c 'import torch' >/dev/null 2>&1; then
		py="$cand"
		break
	fi
done

pt="" pt2=""
if [ -n "$py" ]; then
	pt="$("$py" bench/unet_torch.py --batch "$batch" --steps "$steps" --threads 2)"
	# Second run: glibc malloc maps and unmaps every batch-sized tensor
	# (33 MB at batch 128, above its mmap threshold) on each step, about a
	# million page faults per step, most of torch's time on this machine.
	# Keeping freed memory in the heap (what jemalloc or tcmalloc give a
	# torch job) shows torch without that handicap.
	pt2="$(MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=100000000000 \
		"$py" bench/unet_torch.py --batch "$batch" --steps "$steps" --threads 2)"
fi

PG="$pg" PT="$pt" PT2="$pt2" PY="$py" python3 - <<'PYEOF' 2>/dev/null || {
import json, os
pg = json.loads(os.environ["PG"])
print(f"physgrad heat SIP step, batch {pg['batch']}: median {pg['median_seconds']:.3f} s "
      f"(min {pg['min_seconds']:.3f}, max {pg['max_seconds']:.3f}) over {pg['steps']} steps, "
      f"{pg['gflops']:.1f} GFLOP/s")
if not os.environ["PT"]:
    print("torch: not available (no python3 that can import torch; on Debian: apt-get install python3-torch)")
else:
    for env, label in (("PT", "default malloc"), ("PT2", "heap-retaining malloc")):
        pt = json.loads(os.environ[env])
        print(f"torch {pt['torch']} U-Net step ({os.environ['PY']}, {pt['threads']} threads, {label}), "
              f"batch {pt['batch']}: median {pt['median_seconds']:.3f} s "
              f"(min {pt['min_seconds']:.3f}, max {pt['max_seconds']:.3f}) over {pt['steps']} steps; "
              f"ratio physgrad/torch {pg['median_seconds'] / pt['median_seconds']:.3f}")
PYEOF
	# No python3 at all for the report: print the raw JSON.
	echo "physgrad: $pg"
	if [ -n "$pt" ]; then echo "torch: $pt"; echo "torch (heap-retaining malloc): $pt2"; else echo "torch: not available"; fi
}
