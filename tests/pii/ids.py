"""Builders for the personal-data tests: valid numbers are computed, never copied from life."""

from __future__ import annotations

FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def id_check(first17: str) -> str:
    """GB 11643 / ISO 7064 MOD 11-2, from its definition (weights 2^(17-i) mod 11), not from
    the module's table."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make_id(region: str = "410482", birth: str = "19900307", seq: str = "123") -> str:
    first17 = region + birth + seq
    return first17 + id_check(first17)


def id_with_check(check: str, region: str = "410482", birth: str = "19900307") -> str:
    """A valid ID number whose check character is ``check`` (e.g. "X")."""
    for n in range(1000):
        number = make_id(region, birth, f"{n:03d}")
        if number[-1] == check:
            return number
    raise AssertionError(check)


def luhn_complete(body: str) -> str:
    """``body`` plus the Luhn check digit."""
    for d in "0123456789":
        digits = body + d
        total = 0
        for i, ch in enumerate(reversed(digits)):
            v = int(ch)
            if i % 2:
                v = v * 2 - 9 if v > 4 else v * 2
            total += v
        if total % 10 == 0:
            return digits
    raise AssertionError(body)
