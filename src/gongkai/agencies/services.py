"""State changes of the agency tree, users and roles — each one verb, one transaction, one event.

``actor=None`` means the system itself (migrations, the demo loader, management commands). When an
actor is given, the verb checks the actor may do it: regions and agencies are created by system
administrators, sections and roles by system administrators or the agency's own administrator.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict

from gongkai.agencies import actions
from gongkai.agencies.access import has_role
from gongkai.agencies.models import (
    Agency,
    Membership,
    Region,
    RegionLevel,
    Role,
    Section,
    SupervisorGrant,
    User,
)
from gongkai.agencies.validators import normalize_code
from gongkai.eventlog.services import record

AGENCY_EDITABLE_FIELDS = frozenset(
    {
        "name",
        "short_name",
        "credit_code",
        "org_code",
        "office_name",
        "office_address",
        "office_postcode",
        "office_phone",
        "office_fax",
        "office_email",
        "office_hours",
        "website",
        "active",
    }
)


def _require_sysadmin(actor: Any) -> None:
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("只有系统管理员可以执行此操作。")


def _require_agency_admin(actor: Any, agency: Agency) -> None:
    if actor is None or getattr(actor, "is_superuser", False):
        return
    if not has_role(actor, agency, Role.AGENCY_ADMIN):
        raise PermissionDenied("只有系统管理员或本单位管理员可以执行此操作。")


def _fields(obj: Any, names: list[str]) -> dict[str, Any]:
    return model_to_dict(obj, fields=names)


def create_region(
    *,
    name: str,
    parent: Region | None = None,
    level: str = RegionLevel.OTHER,
    division_code: str = "",
    actor: Any = None,
) -> Region:
    _require_sysadmin(actor)
    with transaction.atomic():
        region = Region(name=name, parent=parent, level=level, division_code=division_code)
        region.full_clean(exclude=["path"])
        region.save()
        record(
            action=actions.REGION_CREATE,
            actor=actor,
            obj=region,
            after=_fields(region, ["name", "parent", "level", "division_code", "path"]),
        )
    return region


def create_agency(
    *,
    region: Region,
    name: str,
    short_name: str = "",
    credit_code: str = "",
    org_code: str = "",
    actor: Any = None,
    **contact: Any,
) -> Agency:
    _require_sysadmin(actor)
    unknown = set(contact) - AGENCY_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"create_agency() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        agency = Agency(
            region=region,
            name=name,
            short_name=short_name,
            credit_code=normalize_code(credit_code),
            org_code=normalize_code(org_code),
            **contact,
        )
        agency.full_clean()
        agency.save()
        record(
            action=actions.AGENCY_CREATE,
            actor=actor,
            obj=agency,
            after=_fields(agency, ["region", *sorted(AGENCY_EDITABLE_FIELDS)]),
        )
    return agency


def update_agency(agency: Agency, *, actor: Any, **changes: Any) -> Agency:
    """Change the agency's name, codes or disclosure-office contact details."""
    unknown = set(changes) - AGENCY_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_agency() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        _require_agency_admin(actor, agency)
        names = sorted(changes)
        before = _fields(agency, names)
        for field, value in changes.items():
            setattr(agency, field, value)
        agency.full_clean()
        agency.save(update_fields=names)
        record(
            action=actions.AGENCY_UPDATE,
            actor=actor,
            obj=agency,
            before=before,
            after=_fields(agency, names),
        )
    return agency


def create_section(*, agency: Agency, name: str, actor: Any = None) -> Section:
    _require_agency_admin(actor, agency)
    with transaction.atomic():
        section = Section(agency=agency, name=name)
        section.full_clean()
        section.save()
        record(action=actions.SECTION_CREATE, actor=actor, obj=section, after={"name": name})
    return section


def create_user(
    *,
    username: str,
    password: str | None = None,
    display_name: str = "",
    email: str = "",
    is_superuser: bool = False,
    actor: Any = None,
) -> User:
    """A new user; system administrators also get ``is_staff`` so they can use the admin site."""
    _require_sysadmin(actor)
    with transaction.atomic():
        user = User(
            username=username,
            display_name=display_name,
            email=email,
            is_superuser=is_superuser,
            is_staff=is_superuser,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        record(
            action=actions.USER_CREATE,
            actor=actor,
            obj=user,
            after={
                "username": username,
                "display_name": display_name,
                "email": email,
                "is_superuser": is_superuser,
            },
        )
    return user


def grant_role(
    *,
    user: User,
    agency: Agency,
    role: str,
    section: Section | None = None,
    actor: Any = None,
) -> Membership:
    """Give the user a role in the agency (re-activating a revoked one). Idempotent."""
    if role not in Role.values:
        raise ValidationError(f"未知角色：{role}")
    if section is not None and section.agency_id != agency.pk:
        raise ValidationError("所选科室不属于该机关。")
    _require_agency_admin(actor, agency)
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user, agency=agency, role=role, defaults={"section": section}
        )
        if (
            not created
            and membership.active
            and membership.section_id == (section.pk if section else None)
        ):
            return membership
        membership.active = True
        membership.section = section
        membership.save(update_fields=["active", "section"])
        record(
            action=actions.MEMBERSHIP_GRANT,
            actor=actor,
            obj=membership,
            agency=agency,
            after={
                "user": user.username,
                "role": role,
                "section": section.name if section else None,
            },
        )
    return membership


def revoke_role(membership: Membership, *, actor: Any = None) -> Membership:
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("agency", "user")
            .get(pk=membership.pk)
        )
        _require_agency_admin(actor, membership.agency)
        if not membership.active:
            return membership
        membership.active = False
        membership.save(update_fields=["active"])
        record(
            action=actions.MEMBERSHIP_REVOKE,
            actor=actor,
            obj=membership,
            before={"user": membership.user.username, "role": membership.role, "active": True},
            after={"active": False},
        )
    return membership


def grant_supervision(*, user: User, region: Region, actor: Any = None) -> SupervisorGrant:
    """Read-only oversight of every agency in ``region`` and below. Idempotent."""
    _require_sysadmin(actor)
    with transaction.atomic():
        grant, created = SupervisorGrant.objects.select_for_update().get_or_create(
            user=user, region=region
        )
        if not created and grant.active:
            return grant
        grant.active = True
        grant.save(update_fields=["active"])
        record(
            action=actions.SUPERVISION_GRANT,
            actor=actor,
            obj=grant,
            after={"user": user.username, "region": region.name},
        )
    return grant


def revoke_supervision(grant: SupervisorGrant, *, actor: Any = None) -> SupervisorGrant:
    _require_sysadmin(actor)
    with transaction.atomic():
        grant = SupervisorGrant.objects.select_for_update().get(pk=grant.pk)
        if not grant.active:
            return grant
        grant.active = False
        grant.save(update_fields=["active"])
        record(
            action=actions.SUPERVISION_REVOKE,
            actor=actor,
            obj=grant,
            before={"active": True},
            after={"active": False},
        )
    return grant
