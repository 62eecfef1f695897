"""Bridge to the sign-off engine's edit hooks while they land on the hardening branch.

``note_revision`` and ``check_may_edit`` are being added to ``gongkai.signoff.services``; until
they exist on this branch, the local versions below keep the same contract (refuse edits while a
chain is in review; nothing to note). Delete the fallbacks once the merge brings the real ones.
"""

from __future__ import annotations

from typing import Any

from gongkai.signoff import services as _signoff
from gongkai.signoff.states import ChainStatus


def check_may_edit(obj: Any, *, actor: Any) -> None:
    real = getattr(_signoff, "check_may_edit", None)
    if real is not None:
        real(obj, actor=actor)
        return
    from gongkai.disclosure.errors import ItemLockedError  # noqa: PLC0415

    chain = _signoff.open_chain_for(obj)
    if chain is not None and chain.status == ChainStatus.IN_REVIEW:
        raise ItemLockedError


def note_revision(obj: Any, *, actor: Any) -> None:
    real = getattr(_signoff, "note_revision", None)
    if real is not None:
        real(obj, actor=actor)
