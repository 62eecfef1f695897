"""Supervision fixtures: uploaded files stored under a temporary media root, reports built
from the format (``gongkai.supervision.samples``) and an ``upload`` helper that runs the
background reading and auditing as the upload commits.

Imports of Django code stay inside the functions: pytest loads this file before Django is set up
when the directory is given on the command line.
"""
# ruff: noqa: PLC0415

from __future__ import annotations

import io
import zipfile

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def report_bytes():
    from gongkai.supervision.samples import build_report, report_html

    def make(agency="示范市信访局", year=2023, **kwargs):
        return report_html(build_report(agency, year, **kwargs))

    return make


@pytest.fixture
def make_zip():
    def make(members: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return buffer.getvalue()

    return make


@pytest.fixture
def upload(supervisor, city, django_capture_on_commit_callbacks):
    from gongkai.supervision import services

    def run(files, *, actor=None, region=None, title="测试批次"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.receive_uploads(
                actor=actor or supervisor,
                region=region or city,
                uploads=list(files.items()) if isinstance(files, dict) else files,
                title=title,
            )

    return run


@pytest.fixture
def audited(upload, petition_bureau, report_bytes):
    """The petition bureau's 2023 report with an S1 error, read and audited."""

    def make(**kwargs):
        kwargs.setdefault("flaw", "s1")
        result = upload({"信访局2023.html": report_bytes(**kwargs)})
        return result.received[0].version

    return make
