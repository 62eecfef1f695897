"""The agency admin's 编辑人员 page: name and revoke editors through the signoff verbs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.agencies.models import Section
from gongkai.eventlog.models import Event
from gongkai.signoff.models import EditorGrant

pytestmark = pytest.mark.django_db


def test_the_admin_names_an_editor_for_one_section_and_it_is_an_event(
    client, agency_admin, drafter, office_section
):
    client.force_login(agency_admin)
    response = client.post(
        reverse("workspace:editors"), {"user": drafter.pk, "section": office_section.pk}
    )
    assert response.status_code == 302
    grant = EditorGrant.objects.get(user=drafter, active=True)
    assert grant.section == office_section
    assert grant.granted_by == agency_admin
    assert Event.objects.filter(action="signoff.editor_named").exists()
    page = client.get(reverse("workspace:editors")).content.decode()
    assert office_section.name in page
    assert "撤销" in page


def test_naming_the_same_editor_twice_keeps_one_grant(client, agency_admin, drafter):
    client.force_login(agency_admin)
    for _ in range(2):
        client.post(reverse("workspace:editors"), {"user": drafter.pk, "section": ""})
    assert EditorGrant.objects.filter(user=drafter, active=True, section=None).count() == 1


def test_a_section_or_person_of_another_agency_is_refused_beside_the_field(
    client, agency_admin, outsider, other_agency
):
    foreign = Section.objects.create(agency=other_agency, name="外单位科室")
    client.force_login(agency_admin)
    response = client.post(
        reverse("workspace:editors"), {"user": outsider.pk, "section": foreign.pk}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "user" in form.errors
    assert "section" in form.errors
    assert not EditorGrant.objects.exists()


def test_revoking_ends_the_grant_and_a_foreign_grant_is_404(
    client, agency_admin, drafter, petition_bureau, other_agency, outsider
):
    grant = EditorGrant.objects.create(agency=petition_bureau, user=drafter)
    foreign = EditorGrant.objects.create(agency=other_agency, user=outsider)
    client.force_login(agency_admin)
    assert client.post(reverse("workspace:editor_revoke", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("workspace:editor_revoke", args=[grant.pk])).status_code == 302
    grant.refresh_from_db()
    foreign.refresh_from_db()
    assert not grant.active
    assert foreign.active
    assert Event.objects.filter(action="signoff.editor_revoked").exists()


def test_the_page_does_not_grow_a_query_per_grant(
    client, agency_admin, make_member, petition_bureau, django_assert_max_num_queries
):
    client.force_login(agency_admin)
    for n in range(2):
        EditorGrant.objects.create(
            agency=petition_bureau, user=make_member(f"ed{n}", petition_bureau, "drafter")
        )
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("workspace:editors"))
    for n in range(2, 8):
        EditorGrant.objects.create(
            agency=petition_bureau, user=make_member(f"ed{n}", petition_bureau, "drafter")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("workspace:editors")).status_code == 200
