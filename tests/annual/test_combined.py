"""A supervising office's combined report for its region: tables summed by the region queries,
each agency's figures frozen for the drill-down, rules, sign-off in the office, publication in
the office's 年报 column."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from gongkai.agencies.services import create_agency, grant_supervision
from gongkai.annual import compute, render, services
from gongkai.annual.cells import agency_figures
from gongkai.annual.errors import NotPermittedError
from gongkai.annual.states import ReportStatus
from gongkai.reportdoc.reader import extract_bytes, parse_checked
from gongkai.signoff import services as signoff

pytestmark = pytest.mark.django_db

FROZEN = datetime(2027, 2, 1, tzinfo=UTC)


@pytest.fixture
def office(city):
    return create_agency(region=city, name="示范市人民政府办公室", short_name="市政府办")


@pytest.fixture
def office_staff(make_member, office, city):
    """The 政务公开办 clerk supervises 示范市 and drafts in the office; its reviewer and leader."""
    clerk = make_member("gkb", office, "drafter", display_name="政务公开办")
    grant_supervision(user=clerk, region=city)
    reviewer = make_member("gkb_reviewer", office, "reviewer", display_name="公开办主任")
    leader = make_member("gkb_leader", office, "signer", display_name="分管副秘书长")
    return clerk, reviewer, leader


@pytest.fixture
def county_case(make_application, make_member, county_agency):
    """One application in the county below the city, still open at the end of the year."""
    handler = make_member("county_handler", county_agency, "handler")
    make_application(actor=handler, agency=county_agency, event_on=date(2026, 12, 21))


@pytest.fixture
def combined(year_of_cases, county_case, office_staff, office, city):
    return services.generate_combined(
        actor=office_staff[0], region=city, year=2026, office=office, now=FROZEN
    )


def test_the_combined_tables_add_up_the_region(combined, city, petition_bureau, county_agency):
    assert combined.combined
    assert combined.frozen_at == FROZEN
    agencies = list(compute.region_agencies(city))
    assert combined.computed == compute.compute_tables(agencies, city, 2026)
    t3 = combined.tables["table3"]
    assert t3["new_received"]["total"] == 4  # 3 in the bureau, 1 in the county below the city
    # every cell is the sum of the agencies' own figures, frozen beside it
    for path, value in compute.flat_cells(combined.computed).items():
        if isinstance(value, int):
            assert sum(f["value"] for f in agency_figures(combined, path)) == value, path
    figures = agency_figures(combined, "table3.new_received.total")
    assert [(f["name"], f["value"]) for f in figures] == [
        (petition_bureau.name, 3),
        (county_agency.name, 1),
    ]
    assert "收到政府信息公开申请4件" in combined.sections["overview"]
    assert combined.error_findings == []
    assert combined.signoff_title == "示范市2026年政府信息公开工作年度报告（汇总）"
    # the combined report does not take the place of the office's own report
    own = services.generate_draft(actor=None, agency=combined.agency, year=2026)
    assert own.pk != combined.pk
    assert not own.combined
    read = parse_checked(extract_bytes(render.render(combined, "html"), "c.html"))
    assert read.table3 == combined.tables["table3"]


def test_only_the_regions_supervisors_in_an_office_of_it(
    year_of_cases, office_staff, office, city, county, supervisor, drafter, petition_bureau
):
    with pytest.raises(NotPermittedError):  # a supervisor with no post in an agency of the city
        services.generate_combined(actor=supervisor, region=city, year=2026, office=office)
    with pytest.raises(NotPermittedError):  # staff of an agency who supervise nothing
        services.generate_combined(actor=drafter, region=city, year=2026, office=petition_bureau)
    with pytest.raises(NotPermittedError):  # the office is not of the county
        services.generate_combined(actor=office_staff[0], region=county, year=2026, office=office)


def test_workspace_pages_and_publication_in_the_offices_column(
    client, combined, office_staff, office, city, drafter, report_template, settings, tmp_path,
    django_capture_on_commit_callbacks, monkeypatch,
):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    # the PDF of a report is rendered and published in test_publish; here the office and column
    monkeypatch.setattr(services, "PUBLISHED_FORMATS", ("docx",))
    clerk, reviewer, leader = office_staff
    client.force_login(clerk)
    page = client.get(reverse("workspace:annual_region") + f"?region={city.pk}&year=2026")
    assert 'data-testid="combined-link"' in page.content.decode()
    cell = client.get(
        reverse("workspace:annual_cell", args=[combined.pk]) + "?cell=table3.new_received.total"
    ).content.decode()
    assert 'data-testid="agency-figures"' in cell
    assert "示范县信访局" in cell
    response = client.post(
        reverse("workspace:annual_section", args=[combined.pk]),
        {"key": "problems", "text": "县级机关答复期限把握不一。"},
    )
    assert response.status_code == 302
    combined.refresh_from_db()
    assert combined.sections["problems"] == "县级机关答复期限把握不一。"
    client.force_login(drafter)  # staff of an agency of the region: not theirs to see
    assert client.get(reverse("workspace:annual_report", args=[combined.pk])).status_code == 404
    client.force_login(reviewer)  # the office's reviewer reads what they will sign, no more
    page = client.get(reverse("workspace:annual_report", args=[combined.pk])).content.decode()
    assert 'data-cell="table3.new_received.total"' in page
    assert "/section/" not in page
    denied = client.post(
        reverse("workspace:annual_section", args=[combined.pk]), {"key": "problems", "text": "改"}
    )
    assert denied.status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        chain = services.submit(combined, actor=clerk, revision_hash=combined.signoff_revision())
    assert chain.agency == office
    for person in (reviewer, leader):
        with django_capture_on_commit_callbacks(execute=True):
            step = chain.steps.get(status="active")
            signoff.approve_step(step, actor=person, revision_hash=chain.revision_hash)
    combined.refresh_from_db()
    assert combined.status == ReportStatus.PUBLISHED, combined.publish_error
    item = combined.published_item
    assert (item.agency, item.column.kind, item.status) == (office, "annual_report", "published")
    assert item.title == combined.signoff_title
    assert [a.original_name for a in item.attachments.all()] == [
        "示范市2026年政府信息公开工作年度报告（汇总）.docx"
    ]
    # a combined report is no agency's own report on the supervision board
    from gongkai.supervision.models import ReportFile  # noqa: PLC0415

    assert not ReportFile.objects.filter(agency=office).exists()
