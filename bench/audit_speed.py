"""How fast the report auditor reads, and how much memory a big batch takes.

    .venv/bin/python bench/audit_speed.py [--corpus DIR] [--batch 1000] [--seconds 5]

Prints three measurements (targets from the auditor's brief):
* text/HTML reports audited per second on one core (target ≥ 100/s; aim text ≥ 150/s,
  HTML ≥ 120/s); flattened crawler text (the 平潭 crawl) beside the text/Markdown path (target:
  within 2× of its time);
* the 5-page corpus PDF audited per second on one core (target ≥ 5/s), with a breakdown of
  text extraction, table detection and the rest;
* peak RSS of ``gongkai audit --csv`` over a generated batch (target < 300 MB for 1,000 files).

Not a test: numbers depend on the machine. Record them in docs/auditor.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from gongkai.reportdoc.pdf import extract_pdf
from gongkai.reportdoc.reader import extract_path, parse_path, read_report
from gongkai.reportdoc.render_html import render_report

TEXT_FILES = (
    "ruzhou_xinfang_2022.txt",
    "shanghai_kewei_2024_pdf-extracted.md",
    "suqian_shuyangxian_2025_ocr-markdown.txt",
)
PDF_FILE = "huaian_hongzequ_2023.pdf"
# a crawler's flattened page text: headings inside one long line, figures glued together
FLAT_FILES = tuple(f"pingtan_guanweihui_{year}.txt" for year in (2019, 2021, 2023, 2024))


def rate(label: str, paths: list[Path], seconds: float, fn: Callable[[Path], object]) -> float:
    """Reports per second of CPU time on one core (wall-clock rate shown too: on a busy
    machine the wall clock also counts other processes' turns)."""
    fn(paths[0])  # warm imports and caches
    done = 0
    wall = time.perf_counter()
    cpu = time.process_time()
    while time.perf_counter() - wall < seconds:
        fn(paths[done % len(paths)])
        done += 1
    cpu_rate = done / (time.process_time() - cpu)
    wall_rate = done / (time.perf_counter() - wall)
    print(f"{label:<36} {cpu_rate:8.1f} /s CPU   {wall_rate:8.1f} /s wall   ({done} runs)")
    return cpu_rate


def html_copies(corpus: Path, folder: Path) -> list[Path]:
    """The corpus reports rendered back as HTML pages (official layout, findings included)."""
    paths = []
    for name in (*TEXT_FILES, PDF_FILE):
        target = folder / f"{Path(name).stem}.html"
        target.write_text(render_report(read_report(corpus / name)), encoding="utf-8")
        paths.append(target)
    return paths


def pdf_breakdown(pdf: Path, rounds: int = 5) -> None:
    data = pdf.read_bytes()
    timings = {}
    for label, kwargs in (("text only (PDFium)", {"find_tables": False}), ("text + tables", {})):
        extract_pdf(data, pdf.name, **kwargs)
        start = time.process_time()
        for _ in range(rounds):
            extract_pdf(data, pdf.name, **kwargs)
        timings[label] = (time.process_time() - start) / rounds
    start = time.process_time()
    for _ in range(rounds):
        read_report(pdf)
    timings["whole audit"] = (time.process_time() - start) / rounds
    for label, seconds in timings.items():
        print(f"  PDF {label:<30} {seconds * 1000:8.1f} ms CPU")


def make_batch(corpus: Path, html: list[Path], folder: Path, count: int) -> None:
    """``count`` files: text, Markdown and HTML in turn, plus one real PDF in every fifty."""
    sources = [corpus / n for n in TEXT_FILES] + html
    for i in range(count):
        src = corpus / PDF_FILE if i % 50 == 49 else sources[i % len(sources)]
        sub = folder / f"region{i % 10:02d}"
        sub.mkdir(exist_ok=True)
        shutil.copyfile(src, sub / f"{i:04d}_{src.name}")


def batch_memory(folder: Path, jobs: int) -> tuple[float, float]:
    out = folder.parent / "batch.csv"
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "gongkai",
            "audit",
            "--csv",
            str(out),
            "--jobs",
            str(jobs),
            str(folder),
        ],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kb / 1024


def default_corpus() -> Path:
    """As the tests find it: GONGKAI_CORPUS, else shared/corpus beside the repository."""
    if os.environ.get("GONGKAI_CORPUS"):
        return Path(os.environ["GONGKAI_CORPUS"])
    beside = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    return beside if beside.is_dir() else Path("/work/shared/corpus")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    corpus = args.corpus
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, one core used for rates\n")
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        folder = Path(tmp)
        html = html_copies(corpus, folder)
        text_paths = [corpus / n for n in TEXT_FILES]
        rate("text/Markdown: extract only", text_paths, args.seconds, extract_path)
        rate("text/Markdown: extract+parse", text_paths, args.seconds, parse_path)
        markdown = rate("text/Markdown: whole audit", text_paths, args.seconds, read_report)
        flat_paths = [corpus / n for n in FLAT_FILES]
        rate("flattened text: extract only", flat_paths, args.seconds, extract_path)
        flat = rate("flattened text: whole audit", flat_paths, args.seconds, read_report)
        print(f"  flattened is {markdown / flat:.2f}x the time of the text/Markdown path")
        rate("HTML: extract only", html, args.seconds, extract_path)
        rate("HTML: extract+parse", html, args.seconds, parse_path)
        rate("HTML: whole audit", html, args.seconds, read_report)
        rate("text + HTML mixed: whole audit", text_paths + html, args.seconds, read_report)
        rate("PDF (5 pages): extract only", [corpus / PDF_FILE], args.seconds, extract_path)
        rate("PDF (5 pages): whole audit", [corpus / PDF_FILE], args.seconds, read_report)
        pdf_breakdown(corpus / PDF_FILE)
        if args.batch <= 0:
            return
        batch = folder / "batch"
        batch.mkdir()
        make_batch(corpus, html, batch, args.batch)
        elapsed, peak = batch_memory(batch, args.jobs)
        print(
            f"\nbatch of {args.batch} files (--jobs {args.jobs}): {elapsed:.1f} s, "
            f"{args.batch / elapsed:.1f} files/s, peak RSS of one process {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
