import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gongkai.agencies.models import Agency, Membership, Region, Role
from gongkai.agencies.services import (
    create_agency,
    create_region,
    create_section,
    create_user,
    grant_role,
    grant_supervision,
    revoke_role,
    revoke_supervision,
    update_agency,
)
from gongkai.eventlog.chain import verify_chain
from gongkai.eventlog.models import Event

pytestmark = pytest.mark.django_db


def actions():
    return list(Event.objects.order_by("seq").values_list("action", flat=True))


def test_region_paths_and_descendants(province, city, county, other_city):
    assert province.path == f"{province.pk:08d}/"
    assert county.path == f"{province.pk:08d}/{city.pk:08d}/{county.pk:08d}/"
    assert set(city.descendants().values_list("name", flat=True)) == {"示范市", "示范县"}
    assert set(city.descendants(include_self=False).values_list("name", flat=True)) == {"示范县"}
    assert list(county.ancestors().values_list("name", flat=True)) == ["示范省", "示范市", "示范县"]
    assert county.depth == 3


def test_region_parent_cannot_move(city, county, other_city):
    county.parent = other_city
    with pytest.raises(ValueError, match="不可更改"):
        county.save()


def test_region_name_unique_within_parent(city):
    create_region(name="示范县", parent=city)
    with pytest.raises(ValidationError):
        create_region(name="示范县", parent=city)


def test_create_agency_writes_event(city):
    agency = create_agency(region=city, name="示范市教育局", credit_code="91350100m000100y43")
    assert agency.credit_code == "91350100M000100Y43"
    assert agency.index_org_code == "M000100Y4"
    event = Event.objects.get(action="agencies.agency_create")
    assert event.agency_id == agency.pk
    assert event.after["name"] == "示范市教育局"


def test_create_agency_rejects_bad_credit_code(city):
    with pytest.raises(ValidationError) as exc:
        create_agency(region=city, name="示范市教育局", credit_code="91350100M000100Y44")
    assert "校验位" in str(exc.value)
    assert not Agency.objects.filter(name="示范市教育局").exists()
    assert "agencies.agency_create" not in actions()


def test_credit_code_unique_but_blank_allowed(city, petition_bureau):
    create_agency(region=city, name="无代码甲")
    create_agency(region=city, name="无代码乙")
    with pytest.raises(ValidationError):
        create_agency(region=city, name="重复代码", credit_code=petition_bureau.credit_code)


def test_update_agency_records_before_and_after(agency_admin, petition_bureau):
    update_agency(petition_bureau, actor=agency_admin, office_phone="0375-7654321")
    petition_bureau.refresh_from_db()
    assert petition_bureau.office_phone == "0375-7654321"
    event = Event.objects.filter(action="agencies.agency_update").get()
    assert event.actor == agency_admin
    assert event.before == {"office_phone": "0375-1234567"}
    # The disclosure office's phone is public, so it is not masked like personal numbers.
    assert event.after == {"office_phone": "0375-7654321"}


def test_update_agency_refused_for_other_roles(reviewer, supervisor, outsider, petition_bureau):
    for actor in (reviewer, supervisor, outsider):
        with pytest.raises(PermissionDenied):
            update_agency(petition_bureau, actor=actor, office_hours="全天")


def test_update_agency_rejects_unknown_field(sysadmin, petition_bureau):
    with pytest.raises(TypeError):
        update_agency(petition_bureau, actor=sysadmin, region=None)


def test_only_sysadmin_creates_regions_and_agencies(agency_admin, sysadmin, city):
    with pytest.raises(PermissionDenied):
        create_region(name="新区", parent=city, actor=agency_admin)
    with pytest.raises(PermissionDenied):
        create_agency(region=city, name="新机关", actor=agency_admin)
    agency = create_agency(region=city, name="新机关", actor=sysadmin)
    assert Event.objects.get(action="agencies.agency_create", object_id=str(agency.pk)).actor == (
        sysadmin
    )


def test_agency_admin_manages_own_agency_only(agency_admin, petition_bureau, other_agency):
    section = create_section(agency=petition_bureau, name="信访督查科", actor=agency_admin)
    assert section.agency == petition_bureau
    with pytest.raises(PermissionDenied):
        create_section(agency=other_agency, name="测试科", actor=agency_admin)
    user = create_user(username="newbie")
    grant_role(user=user, agency=petition_bureau, role=Role.HANDLER, actor=agency_admin)
    with pytest.raises(PermissionDenied):
        grant_role(user=user, agency=other_agency, role=Role.HANDLER, actor=agency_admin)


def test_grant_role_is_idempotent(petition_bureau):
    user = create_user(username="newbie")
    first = grant_role(user=user, agency=petition_bureau, role=Role.SIGNER)
    second = grant_role(user=user, agency=petition_bureau, role=Role.SIGNER)
    assert first.pk == second.pk
    assert actions().count("agencies.membership_grant") == 1


def test_revoke_and_regrant(petition_bureau):
    user = create_user(username="newbie")
    membership = grant_role(user=user, agency=petition_bureau, role=Role.SIGNER)
    revoke_role(membership)
    revoke_role(membership)  # already revoked: no second event
    assert not Membership.objects.get(pk=membership.pk).active
    again = grant_role(user=user, agency=petition_bureau, role=Role.SIGNER)
    assert again.pk == membership.pk
    assert again.active
    assert actions()[-3:] == [
        "agencies.membership_grant",
        "agencies.membership_revoke",
        "agencies.membership_grant",
    ]


def test_grant_role_validates(petition_bureau, other_agency):
    user = create_user(username="newbie")
    with pytest.raises(ValidationError, match="未知角色"):
        grant_role(user=user, agency=petition_bureau, role="boss")
    foreign = create_section(agency=other_agency, name="办公室")
    with pytest.raises(ValidationError, match="不属于"):
        grant_role(user=user, agency=petition_bureau, role=Role.DRAFTER, section=foreign)


def test_membership_unique_constraint(petition_bureau):
    user = create_user(username="newbie")
    Membership.objects.create(user=user, agency=petition_bureau, role=Role.DRAFTER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, agency=petition_bureau, role=Role.DRAFTER)


def test_create_user(db):
    user = create_user(username="zhang", password="a-long-passphrase", display_name="张三")
    assert user.check_password("a-long-passphrase")
    assert user.label == "张三（zhang）"
    assert str(user) == "张三（zhang）"
    event = Event.objects.get(action="agencies.user_create")
    assert "password" not in event.after
    nopass = create_user(username="li")
    assert not nopass.has_usable_password()
    assert nopass.label == "li"


def test_sysadmin_is_staff_for_admin_site(sysadmin):
    assert sysadmin.is_superuser
    assert sysadmin.is_staff


def test_supervision_grant_and_revoke(city, sysadmin, agency_admin):
    user = create_user(username="inspector")
    with pytest.raises(PermissionDenied):
        grant_supervision(user=user, region=city, actor=agency_admin)
    grant = grant_supervision(user=user, region=city, actor=sysadmin)
    assert grant_supervision(user=user, region=city).pk == grant.pk
    revoke_supervision(grant, actor=sysadmin)
    grant.refresh_from_db()
    assert not grant.active


def test_personas_chain_is_intact(
    drafter,
    reviewer,
    signer,
    confidentiality_officer,
    handler,
    agency_admin,
    supervisor,
    sysadmin,
    outsider,
):
    assert verify_chain().ok
    assert Region.objects.count() == 2  # 示范省, 示范市
    assert Event.objects.filter(action="agencies.membership_grant").count() == 7
