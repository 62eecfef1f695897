"""Audit many reports: a supervising office's folder of hundreds of files.

Two passes keep memory flat however many files there are. Pass 1 (in worker processes when
``jobs > 1``) reads and assembles each file and parks the parsed report as JSON in a temporary
folder, handing back only who/which year it is. Then consecutive years of the same agency are
paired (rules Y1/Y2 need last year's report), and pass 2 audits and yields one report at a time
in input order, loading at most the report and its predecessor.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from gongkai.law.report_format import normalize_label
from gongkai.reportdoc.checks import audit
from gongkai.reportdoc.extract import ReportReadError
from gongkai.reportdoc.model import Report
from gongkai.reportdoc.reader import DEFAULT_LIMITS, Limits, parse_path
from gongkai.reportdoc.serialize import report_from_json, report_to_text


@dataclass(frozen=True)
class Parsed:
    """What pass 1 returns for one file: small enough to keep for thousands of files."""

    index: int
    path: str
    stored: str | None = None  # the parsed report's JSON file
    agency: str | None = None
    year: int | None = None
    error: str | None = None


@dataclass
class Outcome:
    """One file's result, in input order: a report with findings, or why it could not be read."""

    path: str
    report: Report | None = None
    error: str | None = None
    previous_path: str | None = None


def collect_paths(inputs: Sequence[str | Path]) -> list[Path]:
    """Files as given; folders expanded recursively in sorted order, hidden files skipped."""
    paths: list[Path] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            paths.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            paths.append(path)  # a missing file fails when read, with its own message
    return paths


def agency_key(agency: str | None) -> str | None:
    return normalize_label(agency) if agency else None


def pair_previous(parsed: Sequence[Parsed]) -> dict[int, int]:
    """index → index of the same agency's report for the year before, when the batch has it."""
    by_key: dict[tuple[str, int], int] = {}
    for item in parsed:
        key = agency_key(item.agency)
        if item.error is None and key and item.year is not None:
            by_key.setdefault((key, item.year), item.index)
    pairs = {}
    for item in parsed:
        key = agency_key(item.agency)
        if item.error is None and key and item.year is not None:
            before = by_key.get((key, item.year - 1))
            if before is not None:
                pairs[item.index] = before
    return pairs


def _parse_one(task: tuple[int, str, str, Limits]) -> Parsed:
    index, path, folder, limits = task
    try:
        report = parse_path(path, limits=limits)
    except ReportReadError as exc:
        return Parsed(index, path, error=str(exc))
    except Exception as exc:  # a bug must cost one file, not the batch
        return Parsed(
            index, path, error=f"{path}：读取时发生内部错误（{type(exc).__name__}: {exc}）"
        )
    stored = os.path.join(folder, f"{index}.json")
    with open(stored, "w", encoding="utf-8") as fh:
        fh.write(report_to_text(report, with_provenance=True))
    return Parsed(index, path, stored, report.agency, report.year)


def _internal(path: str, stage: str, exc: Exception) -> str:
    return f"{path}：{stage}时发生内部错误（{type(exc).__name__}: {exc}），请将该文件报告给维护者"


def _load(stored: str) -> Report:
    with open(stored, encoding="utf-8") as fh:
        return report_from_json(fh.read())


def audit_batch(
    inputs: Sequence[str | Path],
    *,
    previous: Report | None = None,
    jobs: int = 1,
    limits: Limits = DEFAULT_LIMITS,
    progress: bool | None = None,
) -> Iterator[Outcome]:
    """Yield one :class:`Outcome` per file in input order.

    ``previous`` (an explicit last-year report) serves every file the batch has no
    predecessor for. ``progress=None`` shows a bar only for a batch on an interactive stderr.
    """
    paths = [str(p) for p in collect_paths(inputs)]
    if progress is None:
        progress = len(paths) > 1 and sys.stderr.isatty()
    with tempfile.TemporaryDirectory(prefix="gongkai-audit-") as folder:
        parsed = list(_parse_all(paths, folder, jobs, limits, progress))
        pairs = pair_previous(parsed)
        for item in parsed:
            if item.error is not None or item.stored is None:
                yield Outcome(item.path, error=item.error)
                continue
            before = pairs.get(item.index)
            try:
                report = _load(item.stored)
                prior = _load(parsed[before].stored) if before is not None else previous  # type: ignore[arg-type]
                audited = audit(report, previous=prior)
            except Exception as exc:  # a bug must cost one file, not the batch
                yield Outcome(item.path, error=_internal(item.path, "检查", exc))
                continue
            yield Outcome(
                item.path,
                report=audited,
                previous_path=(parsed[before].path if before is not None else None),
            )


def _parse_all(
    paths: list[str], folder: str, jobs: int, limits: Limits, progress: bool
) -> Iterator[Parsed]:
    tasks = [(i, p, folder, limits) for i, p in enumerate(paths)]
    bar = None
    if progress:
        from tqdm import tqdm  # noqa: PLC0415 (only batches on a terminal draw a bar)

        bar = tqdm(total=len(tasks), desc="读取报告", unit="份", file=sys.stderr)
    try:
        if jobs <= 1 or len(tasks) <= 1:
            for task in tasks:
                yield _parse_one(task)
                if bar:
                    bar.update()
        else:
            # fork keeps start-up cheap; imap keeps input order while workers run ahead
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(processes=jobs, maxtasksperchild=200) as pool:
                for result in pool.imap(_parse_one, tasks, chunksize=1):
                    yield result
                    if bar:
                        bar.update()
    finally:
        if bar:
            bar.close()
