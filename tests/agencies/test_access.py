import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from gongkai.agencies import access
from gongkai.agencies.models import Role
from gongkai.agencies.services import create_user, grant_role, revoke_role, update_agency

pytestmark = pytest.mark.django_db


def visible(user):
    return set(access.agencies_visible_to(user).values_list("name", flat=True))


def test_member_sees_only_own_agency(drafter, petition_bureau, other_agency, far_agency):
    assert visible(drafter) == {"示范市信访局"}


def test_other_agency_is_404_for_member(drafter, other_agency):
    with pytest.raises(Http404):
        access.get_agency_for_user(drafter, other_agency.pk)


def test_own_agency_is_returned(drafter, petition_bureau):
    assert access.get_agency_for_user(drafter, petition_bureau.pk) == petition_bureau
    assert access.get_agency_for_user(drafter, str(petition_bureau.pk)) == petition_bureau


@pytest.mark.parametrize("bad_pk", ["abc", None, "", "1; drop table", 10**12])
def test_malformed_or_unknown_pk_is_404(drafter, bad_pk):
    with pytest.raises(Http404):
        access.get_agency_for_user(drafter, bad_pk)


def test_supervisor_sees_region_descendants_only(
    supervisor, petition_bureau, other_agency, county_agency, far_agency
):
    assert visible(supervisor) == {"示范市信访局", "示范市自然资源和规划局", "示范县信访局"}
    with pytest.raises(Http404):
        access.get_agency_for_user(supervisor, far_agency.pk)


def test_supervisor_is_read_only(supervisor, petition_bureau):
    assert access.get_agency_for_user(supervisor, petition_bureau.pk) == petition_bureau
    assert not access.can_write(supervisor, petition_bureau)
    assert access.user_roles(supervisor, petition_bureau) == set()


def test_visible_is_one_query(
    supervisor, petition_bureau, county_agency, django_assert_num_queries
):
    with django_assert_num_queries(1):
        names = [a.name for a in access.agencies_visible_to(supervisor)]
    assert len(names) == 2


def test_sysadmin_sees_and_writes_everything(sysadmin, petition_bureau, far_agency):
    assert visible(sysadmin) == {"示范市信访局", "邻近市信访局"}
    assert access.can_write(sysadmin, far_agency)


def test_outsider_sees_nothing_of_the_bureau(outsider, petition_bureau):
    assert visible(outsider) == {"示范市自然资源和规划局"}
    assert not access.can_write(outsider, petition_bureau)
    assert not access.has_role(outsider, petition_bureau, Role.DRAFTER)


def test_roles_and_has_role(reviewer, petition_bureau, other_agency):
    assert access.user_roles(reviewer, petition_bureau) == {"reviewer"}
    assert access.has_role(reviewer, petition_bureau, Role.REVIEWER)
    assert not access.has_role(reviewer, petition_bureau, Role.SIGNER)
    assert not access.has_role(reviewer, other_agency, Role.REVIEWER)
    assert access.can_write(reviewer, petition_bureau)


def test_revoked_membership_removes_access(reviewer, petition_bureau):
    membership = reviewer.memberships.get()
    revoke_role(membership)
    assert visible(reviewer) == set()
    assert not access.has_role(reviewer, petition_bureau, Role.REVIEWER)
    with pytest.raises(Http404):
        access.get_agency_for_user(reviewer, petition_bureau.pk)


def test_inactive_user_sees_nothing(drafter, petition_bureau):
    drafter.is_active = False
    drafter.save(update_fields=["is_active"])
    assert visible(drafter) == set()
    assert access.user_roles(drafter, petition_bureau) == set()
    assert not access.can_write(drafter, petition_bureau)


def test_anonymous_sees_nothing(petition_bureau):
    anon = AnonymousUser()
    assert visible(anon) == set()
    assert not access.is_staff_member(anon)
    with pytest.raises(Http404):
        access.get_agency_for_user(anon, petition_bureau.pk)


def test_inactive_agency_visible_but_read_only(agency_admin, petition_bureau):
    update_agency(petition_bureau, actor=agency_admin, active=False)
    petition_bureau.refresh_from_db()
    assert visible(agency_admin) == {"示范市信访局"}
    assert not access.can_write(agency_admin, petition_bureau)


def test_member_with_several_roles_listed_once(petition_bureau):
    user = create_user(username="multi")
    grant_role(user=user, agency=petition_bureau, role=Role.DRAFTER)
    grant_role(user=user, agency=petition_bureau, role=Role.HANDLER)
    assert list(access.agencies_visible_to(user)) == [petition_bureau]
    assert access.user_roles(user, petition_bureau) == {"drafter", "handler"}


def test_supervisor_with_membership_can_write_there(supervisor, petition_bureau, other_agency):
    grant_role(user=supervisor, agency=other_agency, role=Role.HANDLER)
    assert access.can_write(supervisor, other_agency)
    assert not access.can_write(supervisor, petition_bureau)


def test_is_staff_member(drafter, supervisor, sysadmin, db):
    loner = create_user(username="loner")
    assert access.is_staff_member(drafter)
    assert access.is_staff_member(supervisor)
    assert access.is_staff_member(sysadmin)
    assert not access.is_staff_member(loner)


def test_regions_supervised(supervisor, county, other_city):
    names = set(access.regions_supervised_by(supervisor).values_list("name", flat=True))
    assert names == {"示范市", "示范县"}
