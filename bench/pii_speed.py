"""How fast the personal-data check scans text, on one core.

    .venv/bin/python bench/pii_speed.py [--mb 20] [--repeat 3]

Target (issue 9): ≥ 20 MB of text per second on one core. Three texts of about ``--mb`` MB
(UTF-8) each:
* prose: the corpus reports (Chinese prose and collapsed tables full of figures) repeated;
* 名单: a roster where every line holds a name, an ID number, a mobile and a bank card — the
  worst case, every line full of candidates to validate;
* prose with a 200-word sensitive-word list.
Prints MB/s (UTF-8 bytes, the size of the file) and million characters/s, by CPU time (the
best of ``--repeat`` runs: on a shared machine the wall clock counts other processes too).
Not a test: numbers depend on the machine. Record them in docs/pii.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from gongkai.pii import scan_text

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
CORPUS_FILES = (
    "ruzhou_xinfang_2022.txt",
    "pingtan_guanweihui_2023.txt",
    "shanghai_kewei_2024_pdf-extracted.md",
    "suqian_shuyangxian_2025_ocr-markdown.txt",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


def corpus_text(folder: Path) -> str:
    parts = [(folder / name).read_text(encoding="utf-8") for name in CORPUS_FILES]
    return "\n".join(parts)


def sized(text: str, mb: float) -> str:
    size = len(text.encode())
    return text * max(1, round(mb * 1e6 / size))


def _id(rng: random.Random) -> str:
    first17 = f"41{rng.randrange(10**4):04d}{rng.randrange(1950, 2005)}0{rng.randrange(1, 10)}"
    first17 += f"{rng.randrange(10, 28)}{rng.randrange(1000):03d}"
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return first17 + ("X" if value == 10 else str(value))


def roster(rows: int, seed: int = 9) -> str:
    rng = random.Random(seed)
    lines = []
    for n in range(1, rows + 1):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        card = "6222" + "".join(rng.choice("0123456789") for _ in range(12))
        lines.append(
            f"{n}\t{name}\t{_id(rng)}\t1{rng.choice('3456789')}{rng.randrange(10**9):09d}\t"
            f"{card}\t某某镇某某村\t城乡低保\t{rng.randrange(100, 900)}.00元"
        )
    return "\n".join(lines)


def measure(label: str, text: str, repeat: int, words: tuple[str, ...] = ()) -> float:
    scan_text(text[:10_000], words=words)  # compile the pattern outside the timing
    best = float("inf")
    found = 0
    for _ in range(repeat):
        cpu = time.process_time()
        found = len(scan_text(text, words=words))
        best = min(best, time.process_time() - cpu)
    mb = len(text.encode()) / 1e6
    rate = mb / best
    print(
        f"{label:<28} {mb:6.1f} MB  {rate:7.1f} MB/s  {len(text) / 1e6 / best:6.1f} M chars/s"
        f"  {found:>9} findings"
    )
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    prose = sized(corpus_text(args.corpus), args.mb)
    names = roster(1000)
    people = sized(names, args.mb)
    rng = random.Random(1)
    words = tuple(
        "".join(rng.choice(GIVEN + SURNAMES + "病残低保罪犯") for _ in range(rng.randrange(2, 6)))
        for _ in range(200)
    )
    rates = [
        measure("prose (corpus reports)", prose, args.repeat),
        measure("名单 (every line personal)", people, args.repeat),
        measure("prose + 200 words", prose, args.repeat, words),
    ]
    print(f"slowest: {min(rates):.1f} MB/s (target ≥ 20 MB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
