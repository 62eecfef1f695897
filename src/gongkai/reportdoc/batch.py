"""Audit many reports: a supervising office's folder of hundreds of files.

Two passes keep memory flat however many files there are. Pass 1 (in worker processes when
``jobs > 1``) reads and assembles each file and parks the parsed report as JSON in a temporary
folder, handing back only who/which year it is. Then consecutive years of the same agency are
paired (rules Y1/Y2 need last year's report), a glued row no rule could split is settled from
another file of the same report when the batch has one (reportdoc/copies.py), and pass 2
audits and yields one report at a time in input order, loading at most the report and its
predecessor.
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
from gongkai.reportdoc.copies import settle_with_copy
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


# marks the page `gongkai audit --html` writes, so that a later run over the same folder
# does not read its own result as a report
RESULT_PAGE_MARK = '<meta name="generator" content="gongkai audit">'


def collect_paths(inputs: Sequence[str | Path], exclude: Sequence[str | Path] = ()) -> list[Path]:
    """Files as given; folders expanded recursively in sorted order, hidden files, our own
    result pages and ``exclude`` (this run's output files) skipped. A folder that cannot be
    listed is said on stderr, not skipped silently."""
    skip = {Path(p).resolve() for p in exclude}
    paths: list[Path] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            paths.extend(
                p
                for p in _walk(path)
                if p.resolve() not in skip
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not _result_page(p)
            )
        elif path.resolve() not in skip:
            paths.append(path)  # a missing file fails when read, with its own message
    # a file given twice (or inside a folder given too) is audited once, where it came first
    seen: set[Path] = set()
    unique = []
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []

    def unreadable(error: OSError) -> None:
        print(f"gongkai audit: 注意: 无法打开文件夹，已跳过：{error.filename}", file=sys.stderr)

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # never enter .git and such
        found.extend(Path(root) / name for name in files)
    return sorted(found)


def _result_page(path: Path) -> bool:
    if path.suffix.lower() not in (".html", ".htm"):
        return False
    try:
        with open(path, "rb") as fh:
            return RESULT_PAGE_MARK.encode() in fh.read(512)
    except OSError:
        return False  # read (and reported) with the rest


def agency_key(agency: str | None) -> str | None:
    return normalize_label(agency) if agency else None


def same_agency(a: str | None, b: str | None) -> bool:
    """One agency, though a title may give the full name and another year's a short one
    (「宿迁市沭阳县人民政府」 and 「沭阳县人民政府」): equal, or one ends with the other."""
    a, b = agency_key(a), agency_key(b)
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return short == long or (len(short) >= 4 and long.endswith(short))


def pair_previous(parsed: Sequence[Parsed]) -> dict[int, int]:
    """index → index of the same agency's report for the year before, when the batch has
    exactly one such report (two candidates would be a guess)."""
    by_year: dict[int, list[Parsed]] = {}
    for item in parsed:
        if item.error is None and item.agency and item.year is not None:
            by_year.setdefault(item.year, []).append(item)
    pairs = {}
    for item in parsed:
        if item.error is None and item.agency and item.year is not None:
            before = [
                other
                for other in by_year.get(item.year - 1, [])
                if same_agency(item.agency, other.agency)
            ]
            if len(before) == 1:
                pairs[item.index] = before[0].index
    return pairs


def copies_of(item: Parsed, same_year: Sequence[Parsed]) -> list[Parsed]:
    """The other files holding the same agency's report for the same year as ``item`` (a
    crawl's page text beside the original page). Asked only for a report with glued rows left,
    which are rare, so a scan of one year's files is cheap."""
    return [
        other
        for other in same_year
        if other.index != item.index
        and other.stored
        and other.year == item.year
        and same_agency(item.agency, other.agency)
    ]


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
    previous_path: str | None = None,
    jobs: int = 1,
    limits: Limits = DEFAULT_LIMITS,
    progress: bool | None = None,
    exclude: Sequence[str | Path] = (),
) -> Iterator[Outcome]:
    """Yield one :class:`Outcome` per file in input order.

    ``previous`` (an explicit last-year report, read from ``previous_path``) serves the
    files of its own agency that the batch has no predecessor for — or every such file when
    either side names no agency. ``progress=None`` shows a bar only for a batch on an
    interactive stderr.
    """
    paths = [str(p) for p in collect_paths(inputs, exclude)]
    if progress is None:
        progress = len(paths) > 1 and sys.stderr.isatty()
    with tempfile.TemporaryDirectory(prefix="gongkai-audit-") as folder:
        parsed = list(_parse_all(paths, folder, jobs, limits, progress))
        pairs = pair_previous(parsed)
        by_year: dict[int | None, list[Parsed]] = {}
        for one in parsed:
            by_year.setdefault(one.year, []).append(one)
        for item in parsed:
            if item.error is not None or item.stored is None:
                yield Outcome(item.path, error=item.error)
                continue
            before = pairs.get(item.index)
            try:
                report = _load(item.stored)
                if report.glued and item.agency and item.year is not None:
                    for twin in copies_of(item, by_year[item.year]):
                        if report.glued and twin.stored:
                            report = settle_with_copy(report, _load(twin.stored), twin.path)
                prior, prior_path = None, None
                earlier = parsed[before] if before is not None else None
                if earlier is not None and earlier.stored:  # paired: read, so stored
                    prior, prior_path = _load(earlier.stored), earlier.path
                elif previous is not None and _serves(previous, report):
                    prior, prior_path = previous, previous_path
                audited = audit(report, previous=prior)
            except Exception as exc:  # a bug must cost one file, not the batch
                yield Outcome(item.path, error=_internal(item.path, "检查", exc))
                continue
            yield Outcome(item.path, report=audited, previous_path=prior_path)


def _serves(previous: Report, report: Report) -> bool:
    """An explicit last-year report is compared with a report of its agency only."""
    if not previous.agency or not report.agency:
        return True  # nothing to tell them apart: the user said so
    return same_agency(previous.agency, report.agency)


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
