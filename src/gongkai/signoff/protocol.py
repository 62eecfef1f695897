"""What an object must offer to be reviewed by the sign-off engine (see docs/signoff.md)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Reviewable(Protocol):
    pk: Any
    # Which chain templates apply, e.g. "disclosure_item" (a class attribute is enough).
    signoff_purpose: str

    @property
    def signoff_agency(self) -> Any:
        """The agency whose members review the object; scopes permissions and the inbox."""

    @property
    def signoff_title(self) -> str:
        """One line naming the object in inboxes and the event log."""

    def signoff_revision(self) -> str:
        """A stable hash (hex) of everything reviewers judge; any edit must change it."""

    def signoff_preview(self) -> str:
        """Plain text shown to reviewers on the step page."""
