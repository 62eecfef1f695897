"""``gongkai annual generate``: every format, the auditor reads the file back."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from gongkai.reportdoc.reader import parse_path

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["json", "html", "docx"])
def test_generate_writes_the_report(tmp_path, year_of_cases, petition_bureau, fmt):
    out = tmp_path / f"report.{fmt}"
    call_command(
        "annual",
        "generate",
        "--agency",
        petition_bureau.name,
        "--year",
        "2026",
        "--format",
        fmt,
        "-o",
        str(out),
    )
    if fmt == "json":
        data = json.loads(out.read_text())
        assert data["format"] == "2021"
        assert data["table3"]["new_received"]["total"] == 3
        assert set(data["table4"]) == {
            "reconsideration",
            "litigation_direct",
            "litigation_after_reconsideration",
        }
    else:
        assert parse_path(out).table3["new_received"]["total"] == 3


def test_unknown_agency_is_one_line_and_exit_2(tmp_path, db):
    with pytest.raises(SystemExit) as exc:
        call_command(
            "annual",
            "generate",
            "--agency",
            "不存在的局",
            "--year",
            "2026",
            "-o",
            str(tmp_path / "x.json"),
        )
    assert exc.value.code == 2
