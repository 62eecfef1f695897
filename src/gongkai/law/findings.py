"""The one shape every rule check returns, shared by the law core, the auditor and the platform."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


SEVERITY_ORDER = {Severity.NOTICE: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Finding:
    """One rule violation.

    ``cells`` are dotted canonical paths such as ``"table3.new_received.total"`` so that a
    renderer can highlight exactly the cells involved; ``message`` is Chinese, for a clerk.
    """

    rule: str
    severity: Severity
    message: str
    cells: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        data["cells"] = list(self.cells)
        return data
