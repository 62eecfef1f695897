"""Workspace pages: inbox (with query budget), step page, htmx approval, submissions, switcher."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from gongkai.agencies.services import grant_role
from gongkai.applications.models import Letter
from gongkai.disclosure import services as items
from gongkai.disclosure.models import Column, Item
from gongkai.signoff import services
from gongkai.signoff.selectors import chains_for
from gongkai.workspace import inbox
from gongkai.workspace.agency_context import SESSION_KEY
from gongkai.workspace.inbox import InboxSection, build_inbox, register_provider

pytestmark = pytest.mark.django_db

INBOX = reverse("workspace:inbox")


def login(client, user):
    client.force_login(user)
    return client


# --- inbox ---------------------------------------------------------------------------------


def test_inbox_lists_steps_for_my_role_only(
    client, reviewer, signer, letter_step, letter_chain, item
):
    page = login(client, reviewer).get(INBOX).content.decode()
    assert letter_chain.title in page
    assert reverse("workspace:step_detail", args=[letter_step.pk]) in page
    # The item waits in its own section, opened on the item's review page.
    assert reverse("workspace:disclosure_item", args=[item.pk]) in page
    client.logout()
    page = login(client, signer).get(INBOX).content.decode()
    assert reverse("workspace:step_detail", args=[letter_step.pk]) not in page
    assert reverse("workspace:disclosure_item", args=[item.pk]) not in page
    assert "没有等待您审核的稿件" in page


def test_inbox_hides_own_submission_when_step_forbids_self_approval(
    client, reviewer, petition_bureau, template
):
    grant_role(user=reviewer, agency=petition_bureau, role="drafter")
    item = items.create_item(
        actor=reviewer,
        column=Column.objects.get(agency=petition_bureau, name="政策解读"),
        title="科长自拟稿",
        body="正文",
    )
    items.submit_item(item, actor=reviewer, revision_hash=item.signoff_revision())
    assert "科长自拟稿" not in login(client, reviewer).get(INBOX).content.decode()


def test_inbox_shows_delegated_steps(client, reviewer, signer, letter_step):
    services.delegate_step(letter_step, actor=reviewer, deputy=signer, reason="休假")
    page = login(client, signer).get(INBOX).content.decode()
    assert reverse("workspace:step_detail", args=[letter_step.pk]) in page
    assert "受李科长委托" in page


def test_inbox_shows_my_returned_submissions(client, drafter, reviewer, step, chain):
    services.return_for_revision(step, actor=reviewer, comment="请补充依据")
    page = login(client, drafter).get(INBOX).content.decode()
    assert "被退回待修改" in page
    assert reverse("workspace:chain_open", args=[chain.pk]) in page


def test_inbox_query_count_does_not_grow_with_entries(
    client, reviewer, make_letter, django_assert_max_num_queries
):
    make_letter(request_text="第一件")
    login(client, reviewer)
    # 15: session, user, agencies, roles, then each provider (steps to decide, returned chains,
    # application deadlines, disclosure steps, column reminders) — a fixed cost per section.
    with django_assert_max_num_queries(15) as few:
        client.get(INBOX)
    for n in range(8):
        make_letter(request_text=f"第{n + 2}件")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INBOX)
    assert response.content.decode().count('class="btn ok small"') == 9


def test_inbox_for_user_without_membership(client, supervisor):
    page = login(client, supervisor).get(INBOX).content.decode()
    assert "您尚未加入任何机关" in page


def test_inbox_providers_are_pluggable(reviewer, petition_bureau):
    def deadlines(user, agency):
        return InboxSection(key="test", title="即将到期", template="x.html", entries=[1, 2])

    register_provider(deadlines)
    register_provider(deadlines)  # idempotent
    try:
        sections = build_inbox(reviewer, petition_bureau)
        assert [s.key for s in sections][-1] == "test"
        assert sum(s.key == "test" for s in sections) == 1
    finally:
        inbox._PROVIDERS.remove(deadlines)


# --- step page and decisions ---------------------------------------------------------------


def test_step_page_shows_content_hash_and_forms(client, reviewer, step, chain, item):
    page = login(client, reviewer).get(reverse("workspace:step_detail", args=[step.pk]))
    html = page.content.decode()
    assert item.body in html
    assert chain.revision_hash[:12] in html
    assert reverse("workspace:step_approve", args=[step.pk]) in html
    assert reverse("workspace:step_return", args=[step.pk]) in html


def test_step_page_read_only_for_supervisor(client, supervisor, step):
    html = (
        login(client, supervisor)
        .get(reverse("workspace:step_detail", args=[step.pk]))
        .content.decode()
    )
    assert "您不是本环节的审核人员，只能查看" in html
    assert reverse("workspace:step_approve", args=[step.pk]) not in html


def test_step_page_flags_changed_content(client, reviewer, step, item):
    Item.objects.filter(pk=item.pk).update(body="改过")
    html = (
        login(client, reviewer)
        .get(reverse("workspace:step_detail", args=[step.pk]))
        .content.decode()
    )
    assert "送审后已修改" in html


def test_approve_redirects_to_inbox_with_message(client, reviewer, step, chain):
    response = login(client, reviewer).post(
        reverse("workspace:step_approve", args=[step.pk]),
        {"revision_hash": chain.revision_hash, "comment": "同意"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == INBOX
    assert "已通过「科室审核」" in response.content.decode()
    step.refresh_from_db()
    assert (step.status, step.comment) == ("approved", "同意")


def test_approve_with_stale_hash_is_refused_with_chinese_message(client, reviewer, step):
    response = login(client, reviewer).post(
        reverse("workspace:step_approve", args=[step.pk]),
        {"revision_hash": "0" * 64},
        follow=True,
    )
    assert "稿件内容在送审后已被修改" in response.content.decode()
    step.refresh_from_db()
    assert step.status == "active"


def test_htmx_approve_refreshes_inbox_and_reports_out_of_band(
    client, reviewer, letter_step, letter_chain, make_letter
):
    step = letter_step
    other = chains_for(make_letter(request_text="另一件")).get().steps.get(status="active")
    response = login(client, reviewer).post(
        reverse("workspace:step_approve", args=[step.pk]),
        {"revision_hash": letter_chain.revision_hash},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="inbox-body">')
    assert 'hx-swap-oob="true"' in html
    assert "已通过" in html
    assert f'id="step-{step.pk}"' not in html
    assert f'id="step-{other.pk}"' in html
    assert "共 1 项待处理" in html
    assert "<html" not in html  # a fragment, not a page
    step.refresh_from_db()
    assert step.status == "approved"


def test_htmx_refusal_keeps_row(client, signer, reviewer, letter_step, letter_chain):
    step, chain = letter_step, letter_chain
    services.delegate_step(step, actor=reviewer, deputy=signer, reason="休假")
    Letter.objects.filter(pk=chain.object_id).update(body="送审后被改动")
    response = login(client, signer).post(
        reverse("workspace:step_approve", args=[step.pk]),
        {"revision_hash": chain.revision_hash},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "稿件内容在送审后已被修改" in html
    assert f'id="step-{step.pk}"' in html
    step.refresh_from_db()
    assert step.status == "active"


def test_return_requires_comment_in_view(client, reviewer, step):
    response = login(client, reviewer).post(
        reverse("workspace:step_return", args=[step.pk]), {"comment": ""}, follow=True
    )
    assert "退回修改必须填写意见" in response.content.decode()


def test_csrf_is_enforced(reviewer, step, chain):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    response = client.post(
        reverse("workspace:step_approve", args=[step.pk]), {"revision_hash": chain.revision_hash}
    )
    assert response.status_code == 403


def test_get_on_decision_urls_not_allowed(client, reviewer, step):
    response = login(client, reviewer).get(reverse("workspace:step_approve", args=[step.pk]))
    assert response.status_code == 405


# --- my submissions ------------------------------------------------------------------------


def test_submissions_list_the_drafters_chains(client, drafter, chain, signer):
    response = login(client, drafter).get(reverse("workspace:submissions"))
    assert [c.pk for c in response.context["chains"]] == [chain.pk]
    html = response.content.decode()
    assert "审核中" in html
    assert reverse("workspace:chain_open", args=[chain.pk]) in html
    assert reverse("workspace:disclosure_item_create") in html
    client.logout()
    assert login(client, signer).get(reverse("workspace:submissions")).context["chains"] == []


def test_chain_page_opens_the_reviewed_item(client, drafter, chain, item):
    response = login(client, drafter).get(reverse("workspace:chain_open", args=[chain.pk]))
    assert response.status_code == 302
    assert response.url == item.get_absolute_url()


# --- agency switcher -----------------------------------------------------------------------


def test_switcher_offers_only_membership_agencies(client, reviewer, other_agency, far_agency):
    grant_role(user=reviewer, agency=other_agency, role="reviewer")
    html = login(client, reviewer).get(INBOX).content.decode()
    assert 'id="agency-switch"' in html
    assert other_agency.name in html
    assert far_agency.name not in html


def test_switching_changes_inbox_scope(client, reviewer, other_agency, chain):
    grant_role(user=reviewer, agency=other_agency, role="reviewer")
    login(client, reviewer)
    assert chain.title in client.get(INBOX).content.decode()
    response = client.post(
        reverse("workspace:switch_agency"), {"agency": other_agency.pk, "next": INBOX}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == other_agency.pk
    assert chain.title not in client.get(INBOX).content.decode()


@pytest.mark.parametrize("bad", ["not-a-number", "", "999999"])
def test_switching_to_unknown_agency_is_404(client, reviewer, bad):
    response = login(client, reviewer).post(reverse("workspace:switch_agency"), {"agency": bad})
    assert response.status_code == 404


def test_switching_to_visible_but_non_member_agency_is_404(client, supervisor, petition_bureau):
    response = login(client, supervisor).post(
        reverse("workspace:switch_agency"), {"agency": petition_bureau.pk}
    )
    assert response.status_code == 404


def test_switch_ignores_foreign_next(client, reviewer, petition_bureau):
    response = login(client, reviewer).post(
        reverse("workspace:switch_agency"),
        {"agency": petition_bureau.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == INBOX


def test_stale_session_agency_falls_back_to_membership(client, reviewer, far_agency):
    login(client, reviewer)
    session = client.session
    session[SESSION_KEY] = far_agency.pk
    session.save()
    html = client.get(INBOX).content.decode()
    assert "示范市信访局" in html


# --- login, logout, lockout ----------------------------------------------------------------


def test_login_page_lists_demo_accounts_only_in_demo_mode(client):
    with override_settings(GONGKAI_DEMO=True):
        html = client.get(reverse("workspace:login")).content.decode()
    assert "演示账户" in html
    assert "gongkai-demo" in html
    with override_settings(GONGKAI_DEMO=False):
        html = client.get(reverse("workspace:login")).content.decode()
    assert "演示账户" not in html
    assert "gongkai-demo" not in html


def _set_password(user, password="Correct-Horse-9"):
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


def test_login_and_logout(client, reviewer):
    password = _set_password(reviewer)
    response = client.post(
        reverse("workspace:login"), {"username": "reviewer", "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == INBOX
    assert client.get(INBOX).status_code == 200
    response = client.post(reverse("workspace:logout"))
    assert response.status_code == 302
    assert client.get(INBOX).status_code == 302


def test_wrong_password_shows_chinese_error(client, reviewer):
    _set_password(reviewer)
    response = client.post(reverse("workspace:login"), {"username": "reviewer", "password": "no"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_repeated_failures_lock_the_account_with_chinese_page(client, reviewer, settings):
    password = _set_password(reviewer)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("workspace:login"), {"username": "reviewer", "password": "wrong"})
    # Even the right password is refused while locked.
    response = client.post(
        reverse("workspace:login"), {"username": "reviewer", "password": password}
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录失败次数过多" in html
    assert "分钟后再试" in html
    assert "_auth_user_id" not in client.session


def test_anonymous_redirected_to_login_with_next(client):
    response = client.get(reverse("workspace:submissions"))
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('workspace:login')}?next={reverse('workspace:submissions')}"
    )
