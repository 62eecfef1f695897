"""Corrupt the corpus text layouts many times over and look for a wrong number.

    .venv/bin/python bench/fuzz_corruption.py [--start 0] [--count 20000] [--out DIR]

The property tests' own operations (``STRUCTURAL`` of ``tests/reportdoc/test_robust_text.py``:
split a line at a label boundary, merge two lines, drop one figure; one to four of them),
drawing from a seeded ``random.Random`` per case so that every failure can be replayed by its
seed. A case
fails when the reader assigns a number that differs from the hand-verified truth (a cell read
as ``None`` is fine: the reader said it could not read it) or crashes. Failing inputs are
written to ``--out`` as ``<seed>.txt``.

Not a test (it runs for minutes): run it after changing the row or assembly code, and turn
every failure into a regression test. Measured 2026-11-29 on the final code of that day: see
docs/auditor.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from gongkai.reportdoc.extract import ReportReadError
from gongkai.reportdoc.parse import read_text_report

# the corpus cases, their truth and the corruptions live with the property tests
sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "tests" / "reportdoc")]
sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "tests")]

import test_robust_text as cases  # noqa: E402  (importable only once tests/ is on the path)

# the tests' own operations (split, merge, drop), here drawing from a seeded random.Random
OPERATIONS = {name: op for name, op in cases.STRUCTURAL.items() if name != "none"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"))
    args = parser.parse_args()
    failures = 0
    for seed in range(args.start, args.start + args.count):
        rng = random.Random(seed)
        name, text, truth = rng.choice(cases.CASES)
        lines = text.split("\n")
        ops = [rng.choice(sorted(OPERATIONS)) for _ in range(rng.randint(1, 4))]
        for op in ops:
            OPERATIONS[op](lines, rng)
        corrupted = "\n".join(lines)
        kind = name if name.endswith(".md") else name + ".txt"
        try:
            report = read_text_report(corrupted.encode("utf-8"), kind)
            cases._assert_true_or_none(report, truth, name)
            continue
        except ReportReadError:
            continue
        except AssertionError as exc:
            problem = {"wrong": str(exc)}
        except Exception as exc:  # a crash is a finding too
            problem = {"crash": repr(exc)}
        failures += 1
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"{seed}.txt").write_text(corrupted, encoding="utf-8")
        print(json.dumps({"seed": seed, "case": name, "ops": ops, **problem}, ensure_ascii=False))
    print(f"{args.count} cases from seed {args.start}: {failures} failed", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
