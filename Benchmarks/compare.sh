#!/usr/bin/env bash
# Speed comparison: the same Siamese networks trained and run in PyTorch and TensorFlow
# (Benchmarks/frameworks.py) and, when the package has its `bench` executable, in Swift.
#
#   Benchmarks/compare.sh [--threads N] [--interop N] [--repeats N] [--seconds S] [--smoke]
#
# First use creates Benchmarks/.venv and installs Benchmarks/requirements.txt into it
# (about 1 GB); later runs reuse it and reinstall only when requirements.txt changes.
# Results: Benchmarks/results/frameworks.json (a JSON array, one object per framework);
# --smoke writes to Benchmarks/results/smoke/ instead, so it never overwrites real results.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
VENV="$HERE/.venv"
PY="$VENV/bin/python"

THREADS=2
INTEROP=1
REPEATS=3
SECONDS_PER_RUN=2
SMOKE=0
SETUP_ONLY=0
SWIFT=1

usage() {
    cat <<EOF
usage: Benchmarks/compare.sh [options]
  --threads N   compute threads for every framework (default 2)
  --interop N   inter-op threads for PyTorch and TensorFlow (default 1)
  --repeats N   timed runs per figure; the best counts (default 3)
  --seconds S   about how long each timed run lasts; sets its step count (default 2)
  --smoke       1 step, 1 repeat: checks that everything runs; results go to results/smoke/
  --no-swift    do not run the Swift bench executable, even if the package has one
  --setup       create or update Benchmarks/.venv, then stop
  -h, --help    this text
EOF
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --threads) THREADS="$2"; shift 2 ;;
        --threads=*) THREADS="${1#*=}"; shift ;;
        --interop) INTEROP="$2"; shift 2 ;;
        --interop=*) INTEROP="${1#*=}"; shift ;;
        --repeats) REPEATS="$2"; shift 2 ;;
        --repeats=*) REPEATS="${1#*=}"; shift ;;
        --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
        --seconds=*) SECONDS_PER_RUN="${1#*=}"; shift ;;
        --smoke) SMOKE=1; shift ;;
        --no-swift) SWIFT=0; shift ;;
        --setup) SETUP_ONLY=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "compare.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
for n in "$THREADS" "$INTEROP" "$REPEATS"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || {
        echo "compare.sh: '$n' is not a positive integer" >&2; exit 2; }
done
[[ "$SECONDS_PER_RUN" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "compare.sh: bad --seconds" >&2; exit 2; }

# ---------------------------------------------------------------- the virtualenv
REQ="$HERE/requirements.txt"
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ ! -x "$PY" ]]; then
    echo "==> creating the virtualenv Benchmarks/.venv"
    "${PYTHON:-python3}" -m venv "$VENV"
fi
if [[ "$(cat "$STAMP" 2>/dev/null || true)" != "$want" ]]; then
    echo "==> installing PyTorch and TensorFlow (CPU) into Benchmarks/.venv" \
         "(first time: about 1 GB to download, a few minutes)..."
    start=$SECONDS
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$REQ"
    echo "$want" > "$STAMP"
    echo "==> installed in $((SECONDS - start)) s"
else
    echo "==> reusing Benchmarks/.venv"
fi
[[ $SETUP_ONLY == 1 ]] && exit 0

# ---------------------------------------------------------------- threads
# Every library's own knob, so each framework computes on the same number of cores.
export OMP_NUM_THREADS="$THREADS" MKL_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS"
export TF_NUM_INTRAOP_THREADS="$THREADS" TF_NUM_INTEROP_THREADS="$INTEROP"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"

if [[ $SMOKE == 1 ]]; then
    RESULTS="$HERE/results/smoke"
    MODE=(--smoke)
else
    RESULTS="$HERE/results"
    MODE=()
fi
mkdir -p "$RESULTS"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# ---------------------------------------------------------------- PyTorch and TensorFlow
# Each framework in its own process: peak resident memory is then its own.
failed=()
for fw in torch tensorflow; do
    if [[ $SMOKE == 1 ]]; then how="smoke: 1 step, 1 repeat"; else how="best of $REPEATS"; fi
    echo "==> $fw: $THREADS threads (inter-op $INTEROP), $how"
    start=$SECONDS
    # TensorFlow's start-up notices are dropped (TF_CPP_MIN_LOG_LEVEL does not reach them).
    set +e
    "$PY" "$HERE/frameworks.py" --framework "$fw" --threads "$THREADS" --interop "$INTEROP" \
        --repeats "$REPEATS" --seconds "$SECONDS_PER_RUN" --json "$TMP/$fw.json" \
        ${MODE[@]+"${MODE[@]}"} 2>&1 \
        | grep --line-buffered -v -E 'absl::InitializeLog|oneDNN custom operations are on'
    rc=${PIPESTATUS[0]}
    set -e
    if [[ $rc == 0 ]]; then
        echo "==> $fw took $((SECONDS - start)) s"
    else
        echo "==> $fw FAILED" >&2
        failed+=("$fw")
    fi
done

"$PY" - "$RESULTS/frameworks.json" "$TMP"/*.json <<'EOF'
import json, sys
out, parts = sys.argv[1], [p for p in sys.argv[2:] if not p.endswith("*.json")]
runs = [json.load(open(p)) for p in parts]
order = {"torch": 0, "tensorflow": 1}
runs.sort(key=lambda r: order.get(r["framework"], 9))
with open(out, "w") as f:
    json.dump(runs, f, indent=2)
    f.write("\n")
EOF
echo "==> wrote ${RESULTS#"$ROOT"/}/frameworks.json"

# ---------------------------------------------------------------- Swift (SWIFT SECTION)
# The package's own side: `swift run -c release bench --json <results>/swift.json` writes
# the same keys with "framework": "swift". It runs when Package.swift declares a `bench`
# executable (not under --smoke, whose release build alone would take minutes); the ratio
# table below needs only swift.json, however it was made.
SWIFT_JSON="$RESULTS/swift.json"
if [[ $SWIFT == 1 && $SMOKE == 0 ]] && grep -q '"bench"' "$ROOT/Package.swift"; then
    echo "==> swift: building and running the bench executable (release)"
    (cd "$ROOT" && swift run -c release bench --threads "$THREADS" --repeats "$REPEATS" \
        --seconds "$SECONDS_PER_RUN" --json "$SWIFT_JSON") || {
        echo "==> swift bench FAILED" >&2
        failed+=(swift)
    }
elif [[ $SMOKE == 1 ]]; then
    echo "==> swift: not run under --smoke"
else
    echo "==> swift: no bench executable in Package.swift (or --no-swift); not run"
fi

# ---------------------------------------------------------------- tables
"$PY" - "$RESULTS/frameworks.json" "$SWIFT_JSON" "${ROOT}" <<'EOF'
import json, os, sys

fw_path, swift_path, root = sys.argv[1:4]
runs = json.load(open(fw_path))
swift = json.load(open(swift_path)) if os.path.exists(swift_path) else None
cols = runs + ([swift] if swift else [])
if not cols:
    sys.exit("no results to show")
rel = lambda p: os.path.relpath(p, root)

METRICS = [
    ("m1_train_pairs_per_s", "M1 mnist-small train  (pairs/s)"),
    ("m2_train_pairs_per_s", "M2 koch train         (pairs/s)"),
    ("m1_infer_per_s",       "M1 inference, b=1024  (emb/s)"),
    ("m2_infer_per_s",       "M2 inference, b=128   (emb/s)"),
    ("peak_rss_mb",          "peak resident memory  (MB)"),
]

def fmt(v):
    return "-" if v is None else f"{v:,.1f}"

def table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i])
                               for i, c in enumerate(r))
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))

print()
if any(c.get("smoke") for c in cols):
    print("SMOKE RUN: 1 step, 1 repeat. These numbers check that the code runs; they are not timings.")
threads = sorted({c.get("threads") for c in cols})
print(f"CPU: {cols[0].get('cpu', '?')}; threads: {', '.join(map(str, threads))}")
print()
header = ["metric"] + [f"{c['framework']} {c.get('version', '')}".strip() for c in cols]
table(header, [[label] + [fmt(c.get(key)) for c in cols] for key, label in METRICS])

print()
print("--- Swift ratios " + "-" * 40)
if swift is None:
    print(f"skipped: {rel(swift_path)} is missing (the Swift bench executable writes it).")
else:
    others = runs
    header = ["metric"] + [f"swift / {r['framework']}" for r in others]
    rows = []
    for key, label in METRICS:
        row = [label]
        for r in others:
            s, o = swift.get(key), r.get(key)
            row.append("-" if not s or not o else f"{s / o:.2f}x")
        rows.append(row)
    table(header, rows)
    print("Above 1x: Swift is faster (throughput rows) or uses more memory (last row).")
EOF

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "compare.sh: failed: ${failed[*]}" >&2
    exit 1
fi
