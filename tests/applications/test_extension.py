"""The extension (条例第三十三条第二款) as a request approved through the sign-off engine."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.errors import InvalidInputError, NotPermittedError
from gongkai.applications.models import ExtensionRequest
from gongkai.eventlog.models import Event
from gongkai.signoff import selectors
from gongkai.signoff import services as signoff
from gongkai.signoff.errors import NotPermittedError as SignoffNotPermittedError

pytestmark = pytest.mark.django_db


def _chain(request):
    return selectors.chains_for(request).get()


def _actions(app):
    return list(
        Event.objects.filter(object_id=str(app.pk), action__startswith="applications.extension")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_request_goes_to_the_office_head_and_changes_nothing_yet(make_application, handler, signer):
    app = make_application()
    due = app.due_on
    request = services.request_extension(
        app, actor=handler, days=10, reason="需调取档案", on=date(2026, 3, 10)
    )
    app.refresh_from_db()
    assert (request.status, request.due_before) == ("in_review", due)
    assert (app.due_on, app.extension_days) == (due, 0)
    assert not app.clock_events.filter(kind="extension").exists()
    chain = _chain(request)
    assert chain.purpose == "extension_request"
    step = chain.steps.get(status="active")
    assert (step.role, step.forbid_self_approval) == ("signer", True)
    assert "需调取档案" in request.signoff_preview()
    assert _actions(app) == ["applications.extension_requested"]
    # a request in review blocks a second one
    with pytest.raises(InvalidInputError, match="正在审批"):
        services.request_extension(
            app, actor=handler, days=5, reason="再申请", on=date(2026, 3, 11)
        )


def test_approval_in_time_extends_drafts_the_letter(
    make_application, handler, signer, django_capture_on_commit_callbacks
):
    # received today: the approval (today, through the receiver) is within the period
    today = timezone.localdate()
    app = make_application(event_on=today)
    due = app.due_on
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_extension(app, actor=handler, days=15, reason="需会商", on=today)
    chain = _chain(request)
    with pytest.raises(SignoffNotPermittedError):
        signoff.approve_step(
            chain.steps.get(status="active"), actor=handler, revision_hash=chain.revision_hash
        )
    with django_capture_on_commit_callbacks(execute=True):
        signoff.approve_step(
            chain.steps.get(status="active"), actor=signer, revision_hash=chain.revision_hash
        )
    request.refresh_from_db()
    app.refresh_from_db()
    assert (request.status, request.decided_by, request.decided_on) == ("approved", signer, today)
    assert app.extension_days == 15
    assert app.due_on > due
    event = app.clock_events.get(kind="extension")
    assert (event.on, event.days, event.detail["approved_by"]) == (due, 15, signer.pk)
    letter = app.letters.get(kind="extension")
    assert "延长15个工作日" in letter.body
    assert "第三十三条第二款" in letter.cited_article
    assert "applications.extended" in set(
        Event.objects.filter(object_id=str(app.pk)).values_list("action", flat=True)
    )
    with pytest.raises(InvalidInputError, match="延长过一次"):
        services.request_extension(app, actor=handler, days=1, reason="再延", on=today)


def test_approval_after_the_due_date_lapses(
    make_application, handler, signer, django_capture_on_commit_callbacks
):
    app = make_application()  # received 2026-03-02, due long before today
    due = app.due_on
    request = services.request_extension(
        app, actor=handler, days=20, reason="需调取档案", on=date(2026, 3, 10)
    )
    chain = _chain(request)
    with django_capture_on_commit_callbacks(execute=True):
        signoff.approve_step(
            chain.steps.get(status="active"), actor=signer, revision_hash=chain.revision_hash
        )
    request.refresh_from_db()
    app.refresh_from_db()
    assert request.status == "lapsed"
    assert "晚于答复期限" in request.decision_note
    assert (app.due_on, app.extension_days) == (due, 0)
    assert not app.letters.filter(kind="extension").exists()
    assert _actions(app) == ["applications.extension_requested", "applications.extension_lapsed"]
    # a lapsed request does not count as the one extension, but the period is over now
    with pytest.raises(InvalidInputError, match="已届满"):
        services.request_extension(app, actor=handler, days=5, reason="补救", on=date(2026, 5, 1))


def test_rejection_keeps_the_clock_and_shows_the_reason(
    make_application, handler, signer, extend, django_capture_on_commit_callbacks
):
    app = make_application()
    due = app.due_on
    request = services.request_extension(
        app, actor=handler, days=20, reason="材料较多", on=date(2026, 3, 10)
    )
    chain = _chain(request)
    with django_capture_on_commit_callbacks(execute=True):
        signoff.return_for_revision(
            chain.steps.get(status="active"), actor=signer, comment="理由不充分，请在期限内答复"
        )
    request.refresh_from_db()
    app.refresh_from_db()
    assert (request.status, request.decided_by) == ("rejected", signer)
    assert request.decision_note == "理由不充分，请在期限内答复"
    assert (app.due_on, app.extension_days) == (due, 0)
    assert _actions(app) == ["applications.extension_requested", "applications.extension_rejected"]
    # a new request may follow; it closes the rejected request's returned chain
    app = extend(app, 5, "补充理由：需会同档案馆调取", on=date(2026, 3, 12))
    assert app.extension_days == 5
    chain.refresh_from_db()
    assert chain.status == "withdrawn"
    assert ExtensionRequest.objects.filter(application=app).count() == 2


def test_decided_before_approval_lapses(
    make_application, handler, signer, django_capture_on_commit_callbacks
):
    app = make_application()
    request = services.request_extension(
        app, actor=handler, days=5, reason="需会商", on=date(2026, 3, 10)
    )
    services.decide(app, actor=handler, outcome="granted", decided_on=date(2026, 3, 11), note="")
    assert (
        services.apply_extension(request, approved_by=signer, approved_on=date(2026, 3, 12))
        is False
    )
    request.refresh_from_db()
    assert request.status == "lapsed"
    assert "不能再延长" in request.decision_note


def test_only_handlers_request_and_agency_without_signer_uses_its_admin(
    make_application, handler, drafter, agency_admin, petition_bureau
):
    app = make_application()
    with pytest.raises(NotPermittedError):
        services.request_extension(app, actor=drafter, days=5, reason="x", on=date(2026, 3, 3))
    # no active signer in the bureau: the step goes to the agency administrator
    template = services.extension_template(petition_bureau)
    assert [s.role for s in template.steps.all()] == ["agency_admin"]
    request = services.request_extension(
        app, actor=handler, days=5, reason="需会商", on=date(2026, 3, 3)
    )
    chain = _chain(request)
    step = chain.steps.get(status="active")
    assert step.role == "agency_admin"
    signoff.approve_step(step, actor=agency_admin, revision_hash=chain.revision_hash)
    assert services.apply_extension(request, approved_by=agency_admin, approved_on=date(2026, 3, 4))
    app.refresh_from_db()
    assert app.extension_days == 5


def test_request_refuses_bad_input(make_application, handler):
    app = make_application()
    with pytest.raises(InvalidInputError, match="延长理由"):
        services.request_extension(app, actor=handler, days=5, reason="  ", on=date(2026, 3, 3))
    with pytest.raises(InvalidInputError, match="早于"):
        services.request_extension(app, actor=handler, days=5, reason="x", on=date(2026, 3, 1))
    assert not ExtensionRequest.objects.exists()
