"""Clean Pixel Data through the real scrub path (issue 16), run by hand; figures go to
docs/benchmarks.md.

Every figure is one ``dcmscrub scrub`` process (one input file, so the worker runs in that
process) under ``/usr/bin/time``: its wall time and its peak RSS. For each input syntax (native,
RLE, JPEG baseline) a generated 800x600 RGB ultrasound cine (tools/make_us_cine.py) is scrubbed:

- ``copy``: ``burned_in: allow`` and no pixel rule: the pixel data is copied as it is (the cost of
  everything but the pixels, the baseline);
- ``rules``: one pixels rule with the cine's 6 PHI rectangles;
- ``detector`` (with ``--detector``, needs the [ocr] extra): ``pixels_detector: {enabled: on}``,
  every frame detected, the union of the boxes blanked.

ms per frame = (wall - copy wall) / frames. ``--big-gb`` makes a native file of that size (694
frames per GB) and, with ``--big-syntaxes``, RLE and JPEG files of as many frames, and scrubs
them with the rule: peak RSS must stay flat.

    python benchmarks/bench_clean_pixels.py [--frames 50] [--detector] [--big-gb 1.0]
        [--big-syntaxes native,rle,jpeg] [--skip-big] [--skip-small]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import make_us_cine  # noqa: E402

PROFILES = {
    "copy": "version: 1\nname: copy\nburned_in: allow\n",
    "rules": (
        "version: 1\nname: rules\npixels:\n"
        f"  - {{match: {{Modality: US}}, blank: {json.dumps(make_us_cine.PHI_RECTS)}}}\n"
    ),
    "detector": "version: 1\nname: detector\npixels_detector: {enabled: on, keep_text: [cm, dB]}\n",
}


def scrub(source: Path, mode: str, tmp: Path, python: str) -> dict[str, float | str]:
    """One scrub run of ``source`` under ``mode``'s profile: wall seconds and peak RSS (MB)."""
    profile = tmp / f"{mode}.yaml"
    profile.write_text(PROFILES[mode])
    out, log = tmp / f"out-{mode}", tmp / f"log-{mode}.jsonl"
    command = [
        "/usr/bin/time", "-f", "%e %M", python, "-m", "dcmscrub", "scrub", str(source.parent),
        "--out", str(out), "--no-encrypt", "-p", str(profile), "-j", "1", "--log", str(log), "-q", "--json",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall, rss_kb = done.stderr.strip().splitlines()[-1].split()
    summary = json.loads(done.stdout)
    assert summary["counts"].get("written") == 1, summary
    record = next(r for r in map(json.loads, log.read_text().splitlines()) if r.get("event") == "file")
    written = next(out.rglob("*.dcm"))
    result: dict[str, float | str] = {
        "wall_s": float(wall),
        "peak_rss_mb": round(int(rss_kb) / 1024, 1),
        "out_mb": round(written.stat().st_size / 1e6, 1),
        "pixels": json.dumps(record.get("pixels")),
    }
    subprocess.run(["rm", "-rf", str(out), str(log)], check=True)
    return result


def per_frame(tmp: Path, frames: int, detector: bool, python: str) -> dict[str, object]:
    results: dict[str, object] = {}
    modes = ["copy", "rules", *(["detector"] if detector else [])]
    for syntax in ("native", "rle", "jpeg"):
        folder = tmp / f"in-{syntax}"
        folder.mkdir()
        source = make_us_cine.write_cine(folder / "cine.dcm", syntax, n=frames)
        runs = {mode: scrub(source, mode, tmp, python) for mode in modes}
        copy = float(runs["copy"]["wall_s"])
        for mode in modes[1:]:
            runs[mode]["ms_per_frame"] = round((float(runs[mode]["wall_s"]) - copy) * 1000 / frames, 1)
        results[syntax] = {"in_mb": round(source.stat().st_size / 1e6, 1), **runs}
        source.unlink()
        print(json.dumps({syntax: results[syntax]}), flush=True)
    return results


def big(tmp: Path, gigabytes: float, syntaxes: list[str], python: str) -> dict[str, object]:
    frames = int(gigabytes * 1e9 // (800 * 600 * 3))
    results: dict[str, object] = {"frames": frames}
    for syntax in syntaxes:
        folder = tmp / f"big-{syntax}"
        folder.mkdir()
        source = make_us_cine.write_cine(folder / "cine.dcm", syntax, n=frames)
        run = scrub(source, "rules", tmp, python)
        results[syntax] = {"in_mb": round(source.stat().st_size / 1e6, 1), **run}
        source.unlink()
        print(json.dumps({f"big {syntax}": results[syntax]}), flush=True)
    return results


def machine(python: str) -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        "",
    )
    versions = subprocess.run(
        [
            python, "-c",
            "import json, importlib.metadata as m\n"
            "out = {}\n"
            "for n in ('dcmscrub', 'pydicom', 'numpy', 'pylibjpeg-libjpeg', 'pylibjpeg-openjpeg',"
            " 'pylibjpeg-rle', 'rapidocr-onnxruntime', 'onnxruntime'):\n"
            "    try: out[n] = m.version(n)\n"
            "    except Exception: out[n] = 'absent'\n"
            "print(json.dumps(out))",
        ],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "versions": versions.strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=50)
    parser.add_argument("--detector", action="store_true", help="also time the [ocr] detector")
    parser.add_argument("--big-gb", type=float, default=1.0)
    parser.add_argument("--big-syntaxes", default="native")
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--skip-small", action="store_true")
    parser.add_argument("--python", default=sys.executable, help="the Python whose dcmscrub is measured")
    args = parser.parse_args()
    report: dict[str, object] = {"machine": machine(args.python)}
    with tempfile.TemporaryDirectory(prefix="bench_clean_pixels_", dir=os.environ.get("TMPDIR")) as name:
        tmp = Path(name)
        if not args.skip_small:
            report["per_frame"] = per_frame(tmp, args.frames, args.detector, args.python)
        if not args.skip_big:
            report["big"] = big(tmp, args.big_gb, args.big_syntaxes.split(","), args.python)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
