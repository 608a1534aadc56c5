"""Pixel blanking speed and memory (issue 16), run by hand; results go to docs/benchmarks.md.

1. Time per frame blanking a generated 800x600 RGB ultrasound cine (50 frames) in each input
   syntax (native, RLE, JPEG baseline), with the PHI rectangles of tools/make_us_cine.py.
2. With the [ocr] extra installed: time per frame of text detection alone, and of detection
   plus recognition (allow-list check), with 1 and 2 ONNX Runtime threads.
3. Peak RSS of a fresh process blanking a ~1 GB native multi-frame file (generated in a temp
   dir, deleted after), and of ones re-encoding RLE and JPEG baseline cines of as many frames.

    python benchmarks/bench_pixels.py [--frames 50] [--big-gb 1.0] [--skip-big] [--skip-jpeg-big]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import make_us_cine  # noqa: E402


def blank(path_in: Path, path_out: Path, rects: list[tuple[int, int, int, int]]) -> dict[str, float]:
    """Blank ``rects`` in a file on disk as the worker will: plan, header, pixels."""
    from pydicom import dcmread
    from pydicom.filewriter import dcmwrite

    from dcmscrub.dicomio.pixels import Rect, apply_plan, pixel_facts, plan_blanking, write_pixels

    t0 = time.perf_counter()
    with path_in.open("rb") as fh, path_out.open("wb") as out:
        ds = dcmread(fh, stop_before_pixels=True)
        facts = pixel_facts(
            ds, fh, fh.tell(), implicit_vr=ds.original_encoding[0], little_endian=ds.original_encoding[1]
        )
        plan = plan_blanking(facts, [Rect(*r) for r in rects], fh)
        assert plan is not None
        t1 = time.perf_counter()
        apply_plan(ds, plan)
        dcmwrite(out, ds, enforce_file_format=True)
        report = write_pixels(plan, fh, out)
    t2 = time.perf_counter()
    return {
        "frames": report.frames,
        "plan_s": round(t1 - t0, 3),
        "total_s": round(t2 - t0, 3),
        "ms_per_frame": round((t2 - t0) * 1000 / report.frames, 2),
        "in_mb": round(path_in.stat().st_size / 1e6, 1),
        "out_mb": round(path_out.stat().st_size / 1e6, 1),
        "out_syntax": plan.transfer_syntax,
    }


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM: getrusage's ru_maxrss carries the parent's peak
    across exec on Linux, so it cannot be used in a child)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def child_blank(path_in: str, path_out: str) -> None:
    """Run in a fresh process: blank and print the result with this process's peak RSS."""
    result = blank(Path(path_in), Path(path_out), make_us_cine.PHI_RECTS)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def child_baseline() -> None:
    """The RSS of a process that only imports what blanking imports."""
    import numpy  # noqa: F401
    import pydicom.pixels.decoders.base
    import pydicom.pixels.encoders.base  # noqa: F401

    import dcmscrub.dicomio.pixels  # noqa: F401

    print(json.dumps({"peak_rss_mb": peak_rss_mb()}))


def run_child(*args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def time_per_frame(tmp: Path, frames: int) -> dict[str, dict[str, float]]:
    results = {}
    for syntax in ("native", "rle", "jpeg"):
        src = make_us_cine.write_cine(tmp / f"in_{syntax}.dcm", syntax, n=frames)
        results[syntax] = blank(src, tmp / f"out_{syntax}.dcm", make_us_cine.PHI_RECTS)
        src.unlink()
        (tmp / f"out_{syntax}.dcm").unlink()
    return results


def detector_times(frames: int) -> dict[str, float] | str:
    from dcmscrub.deid.textdetect import ocr_available

    if not ocr_available():
        return "the [ocr] extra is not installed"
    out: dict[str, float] = {}
    for threads in (1, 2):  # each in a fresh process: no other ONNX Runtime session alive
        out.update(run_child("--child-detect", str(threads), str(frames)))
    return out


def child_detect(threads: int, frames: int) -> None:
    """Run in a fresh process: detector timings per frame with ``threads`` ONNX Runtime threads."""
    from dcmscrub.deid.textdetect import TextDetector

    images = list(make_us_cine.frames(frames))
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    detector = TextDetector(keep_text=["cm", "dB"], threads=threads)
    out[f"load_s_threads{threads}"] = round(time.perf_counter() - t0, 2)
    detector.detect(images[0])  # warm-up (the first inference allocates)
    t0 = time.perf_counter()
    boxes = [detector.detect(f) for f in images]
    detect_ms = (time.perf_counter() - t0) * 1000 / len(images)
    out[f"detect_ms_per_frame_threads{threads}"] = round(detect_ms, 1)
    out["boxes_per_frame"] = sum(len(b) for b in boxes) / len(boxes)
    t0 = time.perf_counter()
    for frame in images:
        detector.regions(frame)  # detection + one batched recognition of the short boxes
    out[f"detect_allowlist_ms_per_frame_threads{threads}"] = round(
        (time.perf_counter() - t0) * 1000 / len(images), 1
    )
    t0 = time.perf_counter()
    for frame, found in zip(images, boxes, strict=True):
        for rect in found:
            detector.recognise(frame, rect)
    rec_ms = (time.perf_counter() - t0) * 1000 / len(images)
    out[f"detect_recognise_every_box_ms_per_frame_threads{threads}"] = round(detect_ms + rec_ms, 1)
    out[f"peak_rss_mb_threads{threads}"] = peak_rss_mb()
    print(json.dumps(out))


def big_file(tmp: Path, gigabytes: float, jpeg: bool) -> dict[str, object]:
    """Peak RSS blanking a native file of ``gigabytes`` (800x600 RGB frames), and RLE and JPEG
    baseline files of as many frames (the same decoded size, smaller on disk)."""
    frames = int(gigabytes * 1e9 // (800 * 600 * 3))
    out: dict[str, object] = {"frames": frames}
    for syntax in ("native", "rle", "jpeg") if jpeg else ("native", "rle"):
        src = make_us_cine.write_cine(tmp / "big.dcm", syntax, n=frames)
        out[syntax] = run_child("--child-blank", str(src), str(tmp / "big_out.dcm"))
        src.unlink()
        (tmp / "big_out.dcm").unlink()
    out["imports_only"] = run_child("--child-baseline")
    return out


def machine() -> dict[str, str]:
    cpu = ""
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = {}
    for name in (
        "pydicom",
        "numpy",
        "pylibjpeg",
        "pylibjpeg-libjpeg",
        "pylibjpeg-openjpeg",
        "pylibjpeg-rle",
        "rapidocr-onnxruntime",
        "onnxruntime",
    ):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:
            versions[name] = "absent"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "versions": json.dumps(versions),
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-blank":
        child_blank(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child-baseline":
        child_baseline()
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child-detect":
        child_detect(int(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=50)
    parser.add_argument("--detect-frames", type=int, default=10)
    parser.add_argument("--big-gb", type=float, default=1.0)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--skip-jpeg-big", action="store_true")
    parser.add_argument("--skip-small", action="store_true", help="skip the 50-frame timings")
    parser.add_argument("--skip-detector", action="store_true")
    args = parser.parse_args()
    report: dict[str, object] = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="bench_pixels_") as name:
        tmp = Path(name)
        if not args.skip_small:
            report["blank_per_frame"] = time_per_frame(tmp, args.frames)
            print(json.dumps(report, indent=1), flush=True)
        if not args.skip_detector:
            report["detector"] = detector_times(args.detect_frames)
            print(json.dumps(report["detector"], indent=1), flush=True)
        if not args.skip_big:
            report["big"] = big_file(tmp, args.big_gb, not args.skip_jpeg_big)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
