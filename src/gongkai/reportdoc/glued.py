"""Glued figures: a run of digits that must hold several cells, split only by arithmetic.

Crawlers that flatten a web page drop the separators between table cells, so a table-三 row
reads 「640020470」 for 64 / 0 / 0 / 2 / 0 / 4 / 70. Such a run is split here only when the
table's own rules leave exactly one reading:

* a number of two or more digits never starts with 0;
* a table-三 row: the six applicant columns add up to 总计 (T2); a table-四 block: 维持 +
  纠正 + 其他 + 尚未审结 = 总计 (T4);
* across the rows of table 三: every column's outcome rows add up to （七）总计 (T1) and
  本年新收 + 上年结转 = 办理结果总计 + 结转下年度 (S1).

A run with a single possible split (as many digits as cells, or 「000」) needs no rule at all
and is read even when its arithmetic fails (that failure is then the agency's). Every search is
bounded by a node budget and pruned by partial sums: a pathological run costs at most the
budget and ends as *unread*, never as a guess.

Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from gongkai.law.report_format import ReportFormat

Cells = tuple[int, ...]

# nodes a single search may visit; the four real tables need < 2,000 altogether
DEFAULT_BUDGET = 50_000
# widest figure a count cell is read as (9,999,999): beyond it a split is not considered, so
# a run of hundreds of digits cannot turn into one astronomically large "total"
MAX_WIDTH = 7
# candidate readings kept for a finding (the message lists a few, the count says the rest)
MAX_CANDIDATES = 64


class BudgetExceededError(Exception):
    """The search visited more nodes than allowed: the run is left unread."""


@dataclass
class Budget:
    nodes: int = DEFAULT_BUDGET

    def spend(self, n: int = 1) -> None:
        self.nodes -= n
        if self.nodes < 0:
            raise BudgetExceededError


def _number(digits: str) -> int | None:
    if not digits or len(digits) > MAX_WIDTH or (len(digits) > 1 and digits[0] == "0"):
        return None
    return int(digits)


def splits(digits: str, n: int, budget: Budget | None = None) -> Iterator[Cells]:
    """Every way to cut ``digits`` into ``n`` numbers (no leading zero on a multi-digit one)."""
    budget = budget or Budget()
    if not digits.isdigit() and digits:
        return
    if n == 0:
        if not digits:
            yield ()
        return
    if len(digits) < n:
        return

    def walk(start: int, left: int, acc: list[int]) -> Iterator[Cells]:
        budget.spend()
        if left == 1:
            value = _number(digits[start:])
            if value is not None:
                yield (*acc, value)
            return
        # leave at least one digit for each remaining cell
        for end in range(start + 1, len(digits) - left + 2):
            value = _number(digits[start:end])
            if value is None:
                break  # a leading zero: longer pieces start with the same zero
            acc.append(value)
            yield from walk(end, left - 1, acc)
            acc.pop()

    yield from walk(0, n, [])


def count_splits(digits: str, n: int, limit: int = 2) -> int:
    """How many splits exist, counting no further than ``limit``."""
    found = 0
    for _ in splits(digits, n, Budget(DEFAULT_BUDGET)):
        found += 1
        if found >= limit:
            break
    return found


def summed_splits(digits: str, parts: int, budget: Budget) -> Iterator[Cells]:
    """Splits of ``digits`` into ``parts`` addends followed by their sum (``parts + 1`` cells),
    the sum taken from the end of the run and the addends pruned by it.

    The addends are found by a memoised walk over (position, addends left, sum left): a run of
    n digits has at most n × parts × total such states, so no run can make it exponential."""
    for cut in range(len(digits) - 1, max(parts, len(digits) - MAX_WIDTH) - 1, -1):
        total = _number(digits[cut:])
        if total is None:
            continue
        memo: dict[tuple[int, int, int], list[Cells]] = {}
        for addends in _addends(digits[:cut], 0, parts, total, memo, budget):
            yield (*addends, total)


def _addends(  # noqa: PLR0917 — a hot recursive helper: positional on purpose
    head: str,
    start: int,
    left: int,
    remaining: int,
    memo: dict[tuple[int, int, int], list[Cells]],
    budget: Budget,
) -> list[Cells]:
    key = (start, left, remaining)
    known = memo.get(key)
    if known is not None:
        return known
    budget.spend()
    out: list[Cells] = []
    rest = len(head) - start
    if left == 0:
        if rest == 0 and remaining == 0:
            out.append(())
    elif left <= rest <= left * len(str(remaining)) and (
        # the most ``rest`` digits cut into ``left`` numbers can add up to
        remaining <= 10 ** (rest - left + 1) + 9 * left
    ):
        for end in range(start + 1, min(len(head) - left + 1, start + len(str(remaining))) + 1):
            value = _number(head[start:end])
            if value is None or value > remaining:
                break  # a leading zero, or a piece already too big: longer ones are worse
            out.extend(
                (value, *tail)
                for tail in _addends(head, end, left - 1, remaining - value, memo, budget)
            )
            if len(out) > MAX_CANDIDATES:
                raise BudgetExceededError  # too many readings to list: unread
    memo[key] = out
    return out


def chained_splits(digits: str, blocks: int, parts: int, budget: Budget) -> Iterator[Cells]:
    """Splits into ``blocks`` consecutive blocks of ``parts`` addends + their sum (table 四:
    three blocks of 维持/纠正/其他/尚未审结 + 总计)."""

    def walk(start: int, left: int, acc: tuple[int, ...]) -> Iterator[Cells]:
        budget.spend()
        if left == 0:
            if start == len(digits):
                yield acc
            return
        # the block ends somewhere; each later block needs parts + 1 digits at least
        last_end = len(digits) - (left - 1) * (parts + 1)
        for end in range(start + parts + 1, last_end + 1):
            for block in summed_splits(digits[start:end], parts, budget):
                yield from walk(end, left - 1, acc + block)

    yield from walk(0, blocks, ())


@dataclass
class RowReading:
    """What one glued run can be: its candidate readings under the row's own rule."""

    digits: str
    candidates: list[Cells]
    forced: bool = False  # only one split exists at all: read without any rule
    exhausted: bool = False  # the search hit its budget: too many to tell
    more: bool = False  # more candidates than kept
    unordered: bool = False  # the table's header does not name the columns in the form's order

    @property
    def unique(self) -> bool:
        return len(self.candidates) == 1 and not self.exhausted and not self.more


def read_row(digits: str, cells: int, rule: str | None, budget: Budget) -> RowReading:
    """Candidates of one run: ``rule`` is ``"sum"`` (last cell = sum of the others, T2),
    ``"t4"`` (three summed blocks of four), or ``None`` (no rule: only a forced split)."""
    try:
        only = list(_take(splits(digits, cells, budget), 2))
    except BudgetExceededError:
        return RowReading(digits, [], exhausted=True)
    if len(only) <= 1:
        return RowReading(digits, only, forced=len(only) == 1)
    try:
        if rule == "sum":
            found = _take(summed_splits(digits, cells - 1, budget), MAX_CANDIDATES + 1)
        elif rule == "t4":
            found = _take(chained_splits(digits, 3, 4, budget), MAX_CANDIDATES + 1)
        else:
            found = _take(splits(digits, cells, budget), MAX_CANDIDATES + 1)
    except BudgetExceededError:
        return RowReading(digits, [], exhausted=True)
    unique = list(dict.fromkeys(found))
    return RowReading(digits, unique[:MAX_CANDIDATES], more=len(unique) > MAX_CANDIDATES)


def _take(it: Iterator[Cells], n: int) -> list[Cells]:
    out = []
    for item in it:
        out.append(item)
        if len(out) >= n:
            break
    return out


@dataclass
class Constraint:
    """Σ coefficient × row = 0, column by column (T1: leaves − 总计; S1: new + carried −
    processed − forward)."""

    rule: str
    coefficients: dict[str, int]


@dataclass
class TableSolution:
    rows: dict[str, Cells | None]  # None: the rules leave the row ambiguous
    rules: dict[str, tuple[str, ...]] = field(default_factory=dict)  # rules that fixed a row
    exhausted: bool = False


def solve_columns(
    candidates: dict[str, list[Cells]],
    constraints: Sequence[Constraint],
    budget: Budget,
    *,
    width: int,
) -> TableSolution:
    """Rows with several candidates are fixed when every assignment that satisfies all column
    constraints agrees on them. Rows with one candidate take part as constants; a row with
    none (or missing) makes every constraint that involves it unusable."""
    usable = [c for c in constraints if all(candidates.get(row) for row in c.coefficients)]
    open_rows = [row for row, cands in candidates.items() if len(cands) > 1]
    result: dict[str, Cells | None] = {
        row: (cands[0] if len(cands) == 1 else None) for row, cands in candidates.items()
    }
    involved = [r for r in open_rows if any(r in c.coefficients for c in usable)]
    if not involved:
        return TableSolution(result)
    open_rows = sorted(involved, key=lambda r: len(candidates[r]))
    # residual per constraint and column with every fixed row counted in
    residual = []
    for c in usable:
        vec = [0] * width
        for row, coef in c.coefficients.items():
            if row not in open_rows:
                for j, v in enumerate(candidates[row][0]):
                    vec[j] += coef * v
        residual.append(vec)
    # the least and most each later open row can still add, for pruning
    lo = [[[0] * width for _ in usable] for _ in range(len(open_rows) + 1)]
    hi = [[[0] * width for _ in usable] for _ in range(len(open_rows) + 1)]
    for i in range(len(open_rows) - 1, -1, -1):
        row = open_rows[i]
        for k, c in enumerate(usable):
            coef = c.coefficients.get(row, 0)
            for j in range(width):
                values = [coef * cand[j] for cand in candidates[row]]
                lo[i][k][j] = lo[i + 1][k][j] + min(values)
                hi[i][k][j] = hi[i + 1][k][j] + max(values)
    seen: dict[str, set[Cells]] = {row: set() for row in open_rows}
    choice: list[Cells] = []
    solutions = 0

    def walk(i: int) -> None:
        nonlocal solutions
        budget.spend()
        if i == len(open_rows):
            solutions += 1
            for row, cand in zip(open_rows, choice, strict=True):
                seen[row].add(cand)
            return
        row = open_rows[i]
        for cand in candidates[row]:
            ok = True
            for k, c in enumerate(usable):
                coef = c.coefficients.get(row, 0)
                vec = residual[k]
                for j in range(width):
                    value = vec[j] + coef * cand[j]
                    if value + lo[i + 1][k][j] > 0 or value + hi[i + 1][k][j] < 0:
                        ok = False
                        break
                if not ok:
                    break
            if not ok:
                continue
            for k, c in enumerate(usable):
                coef = c.coefficients.get(row, 0)
                if coef:
                    for j in range(width):
                        residual[k][j] += coef * cand[j]
            choice.append(cand)
            walk(i + 1)
            choice.pop()
            for k, c in enumerate(usable):
                coef = c.coefficients.get(row, 0)
                if coef:
                    for j in range(width):
                        residual[k][j] -= coef * cand[j]

    try:
        walk(0)
    except BudgetExceededError:
        return TableSolution(result, exhausted=True)
    rules: dict[str, tuple[str, ...]] = {}
    for row in open_rows:
        if solutions and len(seen[row]) == 1:
            result[row] = next(iter(seen[row]))
            rules[row] = tuple(dict.fromkeys(c.rule for c in usable if row in c.coefficients))
    return TableSolution(result, rules)


def table3_constraints(fmt: ReportFormat) -> list[Constraint]:
    """T1 (outcome rows − （七）总计 = 0) and S1 (new + carried − processed − forward = 0)."""
    t1 = dict.fromkeys(fmt.table3_leaf_keys, 1)
    t1["total_processed"] = -1
    s1 = {"new_received": 1, "carried_over": 1, "total_processed": -1, "carried_forward": -1}
    return [Constraint("T1", t1), Constraint("S1", s1)]


def show(cells: Cells) -> str:
    return "/".join(str(v) for v in cells)
