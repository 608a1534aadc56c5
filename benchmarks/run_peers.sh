#!/usr/bin/env bash
# Time dcmscrub against the peer anonymizers with the bench harness (benchmarks/harness/).
#
#   benchmarks/run_peers.sh [bench] [--runs N] [--settle S] [run_bench.py args...]
#       setup (idempotent), then run_bench.py on ct-series and small-many: the peers $PEER_TOOLS
#       (default cp,pydicom-noop,pydicom-stream,dicognito,dicom-anonymizer,gdcmanon) and dcmscrub
#       three ways: dcmscrub (-j 1, plain), dcmscrub-enc (-j 1, age-encrypted), dcmscrub-j2 (-j 2,
#       plain). The pause between runs defaults to 65 s (--settle): on a journal-less ext4 the
#       kernel skips inodes freed in the last 60 s, so the run right after the previous tool's
#       output is deleted pays seconds of kernel time for it (docs/benchmarks.md, "The seat effect").
#   benchmarks/run_peers.sh bench-args [args...]   print the run_bench.py options bench would add
#                                      (defaults filled in), one per line; no setup, nothing run
#   benchmarks/run_peers.sh setup      only the setup: apt packages (if missing), $BENCH_HOME/venv with
#                                      the peers, peers.sh --versions, the 4 corpora, bench keys
#   benchmarks/run_peers.sh mixed      check_mixed.py on mixed-ts, all peers plus dcmscrub, then a
#                                      dcmscrub-only pass per file (reason codes, PHI left in outputs)
#   benchmarks/run_peers.sh mixed-dcmscrub   only that dcmscrub pass
#   benchmarks/run_peers.sh rss        peak RSS of dcmscrub on big-multiframe: -j 1 on the tree, -j 1 on
#                                      the 524 MB file alone, -j 2 on the tree (per-process VmHWM)
#   benchmarks/run_peers.sh profile [CORPUS] [dcmscrub args...]
#                                      py-spy profile of one `dcmscrub scrub CORPUS -j 1 --no-encrypt`
#                                      (default ct-series), with a top-functions summary
#   benchmarks/run_peers.sh all        setup, bench, mixed, rss
#
# Run from anywhere (paths derive from this script): REPO is its parent folder, the harness is
# $BENCH_SHARED (default $HERE/harness), scratch is $BENCH_HOME (default $REPO/.bench, gitignored).
# The peers are $PEER_TOOLS (a comma list for run_bench.py --tools; default above). The 65 s pause
# applies wherever bench mode runs (bench, all, and options alone).
# dcmscrub is $DCMSCRUB (default $REPO/.venv/bin/dcmscrub, an editable install of src/). Every
# dcmscrub run appends to the audit log $DCMSCRUB_LOG (default $BENCH_HOME/audit.jsonl). Keys made
# once: $BENCH_HOME/bench.key (age identity; recipient in bench.recipient), $BENCH_HOME/linkage.key.
# FREEZE=1 runs a snapshot of src/dcmscrub instead (for long runs while src/ is being edited); each
# result folder holds src.sha256 + src.tar.gz of the code that ran and warns if it changed meanwhile.
# Results: $BENCH_HOME/results/<stamp>/summary.md (bench), mixed-<stamp>/mixed.md, rss-<stamp>/rss.md,
# $BENCH_HOME/prof/<corpus>-<stamp>.{txt,summary.txt}. The machine is noisy: compare tools within one run.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
BENCH_HOME="${BENCH_HOME:-$REPO/.bench}"
BENCH_SHARED="${BENCH_SHARED:-$HERE/harness}"
DCMSCRUB="${DCMSCRUB:-$REPO/.venv/bin/dcmscrub}"
DCMSCRUB_PY="$(dirname "$DCMSCRUB")/python"  # the interpreter of that install (profile, FREEZE)
DCMSCRUB_LOG="${DCMSCRUB_LOG:-$BENCH_HOME/audit.jsonl}"
export BENCH_HOME DCMSCRUB_LOG
VENV="$BENCH_HOME/venv"
PY="$VENV/bin/python"
LINKAGE="$BENCH_HOME/linkage.key"
IDENTITY="$BENCH_HOME/bench.key"
RECIPIENT_FILE="$BENCH_HOME/bench.recipient"
PEER_TOOLS="${PEER_TOOLS:-cp,pydicom-noop,pydicom-stream,dicognito,dicom-anonymizer,gdcmanon}"
APT_PACKAGES="libgdcm-tools dcmtk dicom3tools time openssl"
PIP_PACKAGES=('pydicom>=3,<4' numpy cryptography dicognito dicom-anonymizer deid dcmanon)

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'run_peers.sh: %s\n' "$*" >&2; exit 1; }
q() { printf '%q' "$1"; }  # quote a path for the harness's shlex.split
stamp() { date -u +%Y%m%dT%H%M%SZ; }
timed() {  # timed LABEL CMD...: run CMD, report its wall time
  local label="$1" t0 t1; shift
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  say "$label: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')"
}

# The team edits src/ while benchmarks run: record which source each result comes from (no git
# needed), and say loudly when it changed during a run (the numbers then mix two versions).
SRC_ROOT="$REPO/src"  # where the dcmscrub package that runs lives (a frozen copy with FREEZE=1)
src_fingerprint() {
  (cd "$SRC_ROOT" && find dcmscrub -type f \( -name '*.py' -o -name '*.yaml' \) | LC_ALL=C sort | xargs sha256sum)
}
record_source() {  # record_source DIR: per-file hashes and a copy of the source, for line numbers later
  mkdir -p "$1"
  src_fingerprint >"$1/src.sha256"
  tar -C "$SRC_ROOT" -czf "$1/src.tar.gz" --exclude=__pycache__ dcmscrub
  say "source $(sha256sum <"$1/src.sha256" | cut -c1-16) recorded in $1/src.sha256 (copy: src.tar.gz)"
}
check_source() {  # check_source DIR: compare with what record_source saw
  if ! src_fingerprint | cmp -s - "$1/src.sha256"; then
    src_fingerprint >"$1/src.after.sha256"
    say "WARNING: src/dcmscrub changed during this run; results mix versions:"
    diff "$1/src.sha256" "$1/src.after.sha256" | sed -n 's/^[<>] [0-9a-f]*  /    /p' | sort -u >&2 || true
  fi
}

# ------------------------------------------------------------------------------------- setup

setup_apt() {
  local missing=()
  for exe in gdcmanon dcmdump dciodvfy openssl; do command -v "$exe" >/dev/null || missing+=("$exe"); done
  [[ -x /usr/bin/time ]] || missing+=(/usr/bin/time)
  if ((${#missing[@]} == 0)); then say "apt packages: present"; return; fi
  say "apt packages: missing ${missing[*]}"
  ((EUID == 0)) || die "run as root or install: apt-get install -y $APT_PACKAGES"
  timed "apt-get" bash -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PACKAGES >/dev/null"
}

setup_venv() {
  [[ -x "$PY" ]] || timed "venv" python3 -m venv "$VENV"
  if "$PY" - <<'EOF' 2>/dev/null; then say "bench venv: peers installed"; return; fi
import importlib.metadata as m
for d in ("pydicom", "numpy", "cryptography", "dicognito", "dicom-anonymizer", "deid", "dcmanon"):
    m.version(d)
EOF
  timed "pip install peers" "$VENV/bin/pip" install -q "${PIP_PACKAGES[@]}"
}

setup_pyspy() {
  [[ -x "$VENV/bin/py-spy" ]] || timed "pip install py-spy" "$VENV/bin/pip" install -q py-spy
}

setup_corpora() {  # setup_corpora NAME...: make_corpus.py skips the ones that are up to date
  local avail_kb
  avail_kb=$(df -Pk "$BENCH_HOME" | awk 'NR == 2 { print $4 }')
  if [[ " $* " == *" big-multiframe "* && ! -f "$BENCH_HOME/corpus/big-multiframe.manifest.json" ]] \
     && ((avail_kb < 3 * 1024 * 1024)); then
    die "less than 3 GB free under $BENCH_HOME (big-multiframe is 734 MB, and its outputs as much again)"
  fi
  timed "corpora $*" "$PY" "$BENCH_SHARED/make_corpus.py" "$@"
}

setup_keys() {
  [[ -x "$DCMSCRUB" ]] || die "no dcmscrub at $DCMSCRUB (make install, or set DCMSCRUB)"
  if [[ ! -s "$IDENTITY" ]]; then
    "$DCMSCRUB" keygen -o "$IDENTITY" >"$RECIPIENT_FILE"
  elif [[ ! -s "$RECIPIENT_FILE" ]]; then
    sed -n 's/^# public key: //p' "$IDENTITY" | head -1 >"$RECIPIENT_FILE"
  fi
  [[ -s "$LINKAGE" ]] || "$DCMSCRUB" keygen --linkage -o "$LINKAGE" >/dev/null
  for f in "$IDENTITY" "$LINKAGE"; do
    [[ "$(stat -c %a "$f")" == 600 ]] || die "$f must be mode 0600 (chmod 600 $f)"
  done
  RECIPIENT="$(cat "$RECIPIENT_FILE")"
  [[ "$RECIPIENT" == age1* ]] || die "no age recipient in $RECIPIENT_FILE"
}

setup_base() {  # what every mode needs
  [[ -f "$BENCH_SHARED/run_bench.py" ]] || die "no harness at $BENCH_SHARED (set BENCH_SHARED)"
  mkdir -p "$BENCH_HOME"
  setup_apt
  setup_venv
  setup_keys
  [[ "${FREEZE:-0}" == 1 ]] && freeze_source
  compile_source
  return 0
}

# Byte-compile the dcmscrub that runs, as `pip install` does for an installed package (and as the
# peers in $VENV are). Without it, an editable install or the frozen copy is compiled from source
# at every start when PYTHONDONTWRITEBYTECODE is set (it is on some CI images and sandboxes): about
# 0.1 s per run on the bench machine, charged to dcmscrub alone.
compile_source() {
  "$DCMSCRUB_PY" -m compileall -q "$SRC_ROOT/dcmscrub" >/dev/null || die "could not byte-compile $SRC_ROOT/dcmscrub"
}

# FREEZE=1: run a copy of src/dcmscrub taken now (by the main venv's python, PYTHONPATH first), so
# that edits made to src/ while a long run is going do not mix two versions into one table.
freeze_source() {
  local fp dir
  fp="$(src_fingerprint | sha256sum | cut -c1-16)"
  dir="$BENCH_HOME/frozen/$fp"
  if [[ ! -x "$dir/dcmscrub.sh" ]]; then
    mkdir -p "$dir"
    tar -C "$REPO/src" --exclude=__pycache__ -cf - dcmscrub | tar -C "$dir" -xf -
    # shellcheck disable=SC2016  # $PYTHONPATH and $@ are for the wrapper to expand
    printf '#!/bin/sh\nPYTHONPATH=%q${PYTHONPATH:+:$PYTHONPATH} exec %q -P -m dcmscrub "$@"\n' \
      "$dir" "$DCMSCRUB_PY" >"$dir/dcmscrub.sh"
    chmod +x "$dir/dcmscrub.sh"
  fi
  "$dir/dcmscrub.sh" --version >/dev/null || die "the frozen copy in $dir does not run"
  (cd /tmp && PYTHONPATH="$dir" "$DCMSCRUB_PY" -c 'import dcmscrub, sys; sys.exit(not dcmscrub.__file__.startswith(sys.argv[1]))' "$dir") \
    || die "the frozen copy in $dir is not the one imported"
  DCMSCRUB="$dir/dcmscrub.sh"
  SRC_ROOT="$dir"
  say "FREEZE=1: running the copy of src/dcmscrub in $dir"
}

setup_all() {
  setup_base
  bash "$BENCH_SHARED/peers.sh" --versions
  setup_corpora ct-series small-many mixed-ts big-multiframe
}

# --------------------------------------------------------------------------------- the modes

dcmscrub_cmd() {  # the harness command line for dcmscrub with these extra options
  echo "$(q "$DCMSCRUB") scrub {in} --out {out} --quiet --linkage-key $(q "$LINKAGE") $*"
}

# The options of bench mode: --runs (default 3) and --settle (default 65 s) with their defaults
# filled in, then everything else for run_bench.py, one per line in BENCH_ARGS.
parse_bench_args() {
  local runs=3 settle=65 rest=()
  while (($#)); do
    case "$1" in
      --runs|--settle) (($# >= 2)) || die "$1 needs a value" ;;&
      --runs) runs="$2"; shift 2 ;;
      --runs=*) runs="${1#--runs=}"; shift ;;
      --settle) settle="$2"; shift 2 ;;
      --settle=*) settle="${1#--settle=}"; shift ;;
      *) rest+=("$1"); shift ;;
    esac
  done
  BENCH_ARGS=(--runs "$runs" --settle "$settle" ${rest[@]+"${rest[@]}"})
}

run_bench_mode() {
  parse_bench_args "$@"
  setup_corpora ct-series small-many
  local res
  res="$BENCH_HOME/results/$(stamp)"
  record_source "$res"
  "$PY" "$BENCH_SHARED/run_bench.py" --results "$res" --corpus ct-series --corpus small-many --tools "$PEER_TOOLS" \
    --extra "dcmscrub=$(dcmscrub_cmd --no-encrypt -j 1)" \
    --extra "dcmscrub-enc=$(dcmscrub_cmd -j 1 -r "$RECIPIENT")" \
    --extra "dcmscrub-j2=$(dcmscrub_cmd --no-encrypt -j 2)" \
    "${BENCH_ARGS[@]}"
  check_source "$res"
}

run_mixed_mode() {
  setup_corpora mixed-ts
  local res
  res="$BENCH_HOME/results/mixed-$(stamp)"
  record_source "$res"
  # no --quiet here: the harness quotes the last error line of each run
  "$PY" "$BENCH_SHARED/check_mixed.py" --results "$res" \
    --extra "dcmscrub=$(dcmscrub_cmd --no-encrypt | sed 's/ --quiet//')" "$@"
  # check_mixed.py counts dcmscrub's .dcmscrub/ state files (lock, root-id) as unreadable outputs,
  # so it reports "ok-but-unreadable" and "+out" for every file. This pass looks at dcmscrub alone.
  mixed_dcmscrub_per_file "$res" | tee "$res/dcmscrub-per-file.md"
  check_source "$res"
}

# Per file of mixed-ts: can pydicom read it, what did dcmscrub do (outcome and reason code from
# --json), are the outputs (not .dcmscrub/) readable, de-identified (PatientIdentityRemoved=YES),
# and free of the input's PatientName/PatientID/AccessionNumber bytes; then the whole tree at once.
mixed_dcmscrub_per_file() {
  "$PY" - "$1" "$BENCH_HOME/corpus/mixed-ts" "$DCMSCRUB" "$LINKAGE" <<'EOF'
import json, os, shutil, subprocess, sys, tempfile, warnings
from pathlib import Path

import pydicom

warnings.simplefilter("ignore")
res, src, dcmscrub, linkage = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
man = json.loads((src.parent / "mixed-ts.manifest.json").read_text())


def pydicom_reads(path):
    err = "?"
    for force in (False, True):
        try:
            ds = pydicom.dcmread(path, force=force)
            if len(ds) == 0:
                return "empty dataset", None
            for elem in ds.iterall():  # touch every value: some files fail lazily
                elem.value
            return ("yes" if not force else "force=True"), ds
        except Exception as exc:  # noqa: BLE001
            err = type(exc).__name__
    return f"no ({err})", None


def scrub(inp, out):
    p = subprocess.run([dcmscrub, "scrub", str(inp), "--out", str(out), "--no-encrypt", "-j", "1",
                        "--linkage-key", linkage, "--json"], capture_output=True, text=True)
    try:
        summary = json.loads(p.stdout)
    except ValueError:
        summary = {}
    outs = [Path(d) / f for d, _, fs in os.walk(out) for f in fs if ".dcmscrub" not in Path(d).parts]
    return p, summary, outs


def phi_values(ds):
    vals = []
    for kw in ("PatientName", "PatientID", "AccessionNumber"):
        v = str(ds.get(kw, "") or "").strip()
        if len(v) >= 4:
            vals.append(v.encode("latin-1", "replace"))
    return vals


rows = []
tmp = Path(tempfile.mkdtemp(prefix="mixed-dcmscrub-"))
try:
    for f in man["files"]:
        one = tmp / "one"
        shutil.rmtree(one, ignore_errors=True)
        (one / "in" / f["path"]).parent.mkdir(parents=True)
        shutil.copy2(src / f["path"], one / "in" / f["path"])
        reads, ds_in = pydicom_reads(src / f["path"])
        p, summary, outs = scrub(one / "in", one / "out")
        counts = [k for k, v in summary.get("counts", {}).items() if v and k != "total"]
        problems = ",".join(summary.get("problems", {})) or "-"
        out_state = "-"
        if outs:
            try:
                o = pydicom.dcmread(outs[0])
                raw = outs[0].read_bytes()
                leaks = [v.decode("latin-1") for v in phi_values(ds_in) if v in raw] if ds_in is not None else []
                out_state = f"readable, PatientIdentityRemoved={o.get('PatientIdentityRemoved', '')}"
                out_state += f", LEAK {leaks}" if leaks else ""
            except Exception as exc:  # noqa: BLE001
                out_state = f"UNREADABLE ({type(exc).__name__})"
        crash = " CRASH" if p.returncode not in (0, 3) else ""
        rows.append((f["path"], f["kind"], f.get("ts") or "-", reads, f"{p.returncode}{crash}",
                     ",".join(counts) or "-", problems, out_state))
    p, summary, outs = scrub(src, tmp / "whole")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print("### dcmscrub on mixed-ts, file by file (each file alone in a tree; outputs exclude .dcmscrub/)\n")
print("| file | kind | transfer syntax | pydicom reads it | exit | outcome | reason | output |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
print(f"\nWhole tree in one run: exit {p.returncode}, {len(outs)} outputs; "
      f"counts {summary.get('counts')}; problems {summary.get('problems')}")
EOF
}

# Run a command, print GNU time's "%M KB %e s" (the largest single process: with -j 1 all work is in
# the main process) and every process's own peak (VmHWM) sampled from /proc while it runs.
rss_one() {
  local label="$1"; shift
  "$PY" - "$label" /usr/bin/time -f '%M KB %e s' "$@" <<'EOF'
import os, subprocess, sys, tempfile, time

label, argv = sys.argv[1], sys.argv[2:]
err = tempfile.TemporaryFile("w+")
p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=err, text=True)
peaks: dict[int, tuple[str, int]] = {}


def read(path):
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return ""


def descendants(root):
    parent = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            stat = read(f"/proc/{d}/stat")
            if stat:
                parent[int(d)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = [], [root]
    while todo:
        cur = todo.pop()
        kids = [c for c, pp in parent.items() if pp == cur]
        found += kids
        todo += kids
    return found


while p.poll() is None:
    for pid in descendants(p.pid):  # below /usr/bin/time: dcmscrub and its workers
        hwm = next((int(x.split()[1]) for x in read(f"/proc/{pid}/status").splitlines()
                    if x.startswith("VmHWM:")), 0)
        name = read(f"/proc/{pid}/comm").strip() or "?"
        role = "main" if not peaks else "worker"
        old = peaks.get(pid, (role, 0))
        peaks[pid] = (old[0], max(old[1], hwm))
    time.sleep(0.05)
err.seek(0)
lines = err.read().splitlines()
timeline = [x for x in lines if x.endswith(" s") and " KB " in x]
print(f"| {label} | {p.returncode} | {timeline[-1] if timeline else '-'} | "
      + ", ".join(f"{role} {kb / 1024:.0f} MB" for pid, (role, kb) in sorted(peaks.items()))
      + " |")
for x in [x for x in lines if x not in timeline][-3:]:
    print(f"    stderr: {x}", file=sys.stderr)
EOF
}

run_rss_mode() {
  setup_corpora big-multiframe
  local src="$BENCH_HOME/corpus/big-multiframe" work="$BENCH_HOME/work/rss" res big
  res="$BENCH_HOME/results/rss-$(stamp)"
  record_source "$res"
  big="$(find "$src" -name '*_1000f.dcm' | head -1)"
  [[ -n "$big" ]] || die "no 1000-frame file under $src"
  {
    echo "### dcmscrub peak RSS on big-multiframe ($(du -sm "$src" | cut -f1) MB; 524 MB file: ${big#"$src"/})"
    echo
    echo "| run | exit | GNU time: max RSS of the largest process, wall | per process (VmHWM, sampled) |"
    echo "|---|---|---|---|"
    for variant in "j1-tree:-j 1:$src" "j1-524MB-file:-j 1:$big" "j1-enc-524MB-file:-j 1 -r $RECIPIENT:$big" \
                   "j2-tree:-j 2:$src"; do
      IFS=: read -r label opts input <<<"$variant"
      rm -rf "$work"; sync; sleep 1
      local enc="--no-encrypt"; [[ "$opts" == *" -r "* ]] && enc=""
      # shellcheck disable=SC2086  # opts is a list of options
      rss_one "$label" "$DCMSCRUB" scrub "$input" --out "$work" --quiet --linkage-key "$LINKAGE" $enc $opts
    done
    rm -rf "$work"
  } | tee "$res/rss.md"
  check_source "$res"
  say "rss results: $res/rss.md"
}

run_profile_mode() {
  local corpus="${1:-ct-series}"; (($#)) && shift
  setup_pyspy
  setup_corpora "$corpus"
  local out="$BENCH_HOME/work/profile-$corpus" prof="$BENCH_HOME/prof" s
  s="$(stamp)"
  mkdir -p "$prof"
  record_source "$prof/$corpus-$s.src"
  rm -rf "$out"
  # python -m dcmscrub is what the dcmscrub console script runs; -j 1 keeps all work in one process
  local pypath="${PYTHONPATH:-}"
  [[ "$SRC_ROOT" != "$REPO/src" ]] && pypath="$SRC_ROOT${pypath:+:$pypath}"  # FREEZE=1
  PYTHONPATH="$pypath" "$VENV/bin/py-spy" record --idle --rate 250 --format raw -o "$prof/$corpus-$s.txt" -- \
    "$DCMSCRUB_PY" -P -m dcmscrub scrub "$BENCH_HOME/corpus/$corpus" --out "$out" \
    --quiet -j 1 --no-encrypt --linkage-key "$LINKAGE" "$@"
  rm -rf "$out"
  # read source lines from the copy taken before the run (src/ may change meanwhile)
  mkdir -p "$prof/$corpus-$s.src/tree"
  tar -C "$prof/$corpus-$s.src/tree" -xzf "$prof/$corpus-$s.src/src.tar.gz"
  "$PY" - "$prof/$corpus-$s.txt" "$prof/$corpus-$s.src/tree" <<'EOF' | tee "$prof/$corpus-$s.summary.txt"
import collections, linecache, re, sys

# py-spy raw lines: "frame;frame;...;leaf COUNT", frame = "func (file:line)"
FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def parse(frame):
    m = FRAME.match(frame.strip())
    if not m:
        return frame.strip(), "", 0
    return m["func"], m["file"], int(m["line"] or 0)


def short(func, file):
    for cut in ("site-packages/", "src/", "lib/python3.11/"):
        if cut in file:
            file = file.split(cut, 1)[1]
    return f"{func} ({file})"


# Where the time goes: the deepest frame named here labels a sample (dcmscrub's own phases).
PHASES = {
    "iter_inputs": "walk the input tree", "_select": "walk the input tree",
    "_open_audit": "audit log: open/check", "_log_file": "audit log: append (not fsync)",
    "read_header": "read: pydicom dcmread of the header + checks",
    "sniff": "read: sniff", "_short_element": "read: truncation check (_short_element)",
    "output_ids": "output_ids (predict output name)", "_Scrubber.__init__": "engine: context (_Scrubber init)",
    "_Scrubber.gather_subject": "engine: gather_subject", "_Scrubber.walk": "engine: walk elements",
    "_mark": "engine: _mark + _fix_file_meta", "_fix_file_meta": "engine: _mark + _fix_file_meta",
    "compile_plan": "engine: compile_plan",
    "write_file": "write: prepare (ensure_file_meta, _give_vrs)",
    "dcmwrite": "write: header encoding (pydicom)", "_write_part10": "write: header encoding (pydicom)",
    "encode_dataset": "write: header encoding (pydicom)",
    "_copy_range": "write: pixel data copy (read side)",
    "_HashingWriter.write": "write: buffered write to temp file",
    "AgeWriter.__init__": "write: age encryption", "AgeWriter.write": "write: age encryption",
    "AgeWriter.close": "write: age encryption", "AgeWriter._seal": "write: age encryption",
    "atomic_output": "write: temp file create/link/unlink", "fsync_dir": "write: folder fsync",
    "_Worker._write": "write: mkdir output folders",
    "_Worker._process": "runner: per-file other (open, stat of the output)",
}
total = 0
self_t, cum_t, self_line, phase_t = (collections.Counter() for _ in range(4))
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip("\n").rpartition(" ")
    if not stack:
        continue
    n = int(n)
    total += n
    frames = [parse(f) for f in stack.split(";") if f.strip()]
    func, file, lineno = frames[-1]
    self_t[short(func, file)] += n
    self_line[f"{short(func, file)[:-1]}:{lineno})"] += n
    for f in {short(fn, fl) for fn, fl, _ in frames}:
        cum_t[f] += n
    if not any(fn == "scrub_tree" for fn, _, _ in frames):
        phase = "outside scrub_tree: interpreter start, imports, CLI, exit"
    else:
        phase = "runner: other"
        for fn, _, _ in frames:
            phase = PHASES.get(fn, phase)
        text = linecache.getline(f"{sys.argv[2]}/{file}", lineno)  # py-spy names files below sys.path
        if "fsync" in text:
            phase = f"fsync in {func}"
        elif "_hash.update" in text:
            phase = "write: sha256 of the output (_HashingWriter)"
    phase_t[phase] += n
print(f"{total} samples at 250 Hz = {total / 250:.1f} s of wall time "
      "(--idle: time blocked in fsync and other syscalls included)")
print("\n-- by phase (deepest dcmscrub frame; 'fsync in X' = samples on an os.fsync line)")
for ph, n in phase_t.most_common():
    print(f"{100 * n / total:6.1f}%  {n / 250:6.2f} s  {ph}")
for title, c in (("cumulative", cum_t), ("self", self_t), ("self, by line", self_line)):
    print(f"\n-- top by {title}")
    for f, n in c.most_common(40 if title == "cumulative" else 25):
        print(f"{100 * n / total:6.1f}%  {n:7d}  {f}")
EOF
  check_source "$prof/$corpus-$s.src"
  say "profile: $prof/$corpus-$s.txt (open in https://speedscope.app or flamegraph.pl)"
}

mode="${1:-bench}"
case "$mode" in
  -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
  setup) setup_all ;;
  bench) (($#)) && shift; setup_all; run_bench_mode "$@" ;;
  bench-args) shift; parse_bench_args "$@"; printf '%s\n' "${BENCH_ARGS[@]}" ;;  # what bench passes on
  --*) setup_all; run_bench_mode "$@" ;;  # options only: bench mode
  mixed) shift; setup_base; run_mixed_mode "$@" ;;
  mixed-dcmscrub)  # only the dcmscrub per-file pass of 'mixed' (no peers; a few seconds)
    shift; setup_base; setup_corpora mixed-ts; r="$BENCH_HOME/results/mixed-dcmscrub-$(stamp)"; record_source "$r"
    mixed_dcmscrub_per_file "$r" | tee "$r/dcmscrub-per-file.md"; check_source "$r" ;;
  rss) shift; setup_base; run_rss_mode ;;
  profile) shift; setup_base; run_profile_mode "$@" ;;
  all) shift; setup_all; run_bench_mode "$@"; run_mixed_mode; run_rss_mode ;;
  *) die "unknown mode $mode (try --help)" ;;
esac
