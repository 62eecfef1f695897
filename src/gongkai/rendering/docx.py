"""Saving a python-docx document so that the same content always gives the same bytes.

python-docx stamps the ZIP entries with the current time (and a new document's properties with
the current modification time), so two saves a second apart differ. The annual report (frozen
at a recorded time) and the default letter templates are compared byte for byte; both are saved
here with every time fixed.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any


def save(document: Any, *, title: str, author: str, when: datetime) -> bytes:
    """The document's bytes with its core properties and every ZIP entry dated ``when``."""
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = props.modified = props.last_printed = when.replace(tzinfo=None)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), when)


def fixed_zip(data: bytes, when: datetime) -> bytes:
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
