"""Where the shared corpus of real reports (and their truth JSON) is, for every test.

``GONGKAI_CORPUS`` when set; else ``shared/corpus`` beside the repository (CI lays ``shared/``
beside its clone); else the development machine's ``/work/shared/corpus``. Tests that need it
fail with the path in the message when it is missing — never skip.
"""

from __future__ import annotations

import os
from pathlib import Path

_BESIDE_REPOSITORY = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_DEVELOPMENT = Path("/work/shared/corpus")


def _find() -> Path:
    configured = os.environ.get("GONGKAI_CORPUS")
    if configured:
        return Path(configured)
    return _BESIDE_REPOSITORY if _BESIDE_REPOSITORY.is_dir() else _DEVELOPMENT


CORPUS = _find()
TRUTH = CORPUS / "truth"
