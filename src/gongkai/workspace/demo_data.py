"""「演示数据」: a small, clearly labelled, idempotent dataset for `gongkai demo` and tests.

Modelled on the source report (汝州市信访局 2022 annual report): a petition bureau whose items
are drafted by one officer, reviewed by the section, checked for secrets and signed by the
leader in charge (分级审核、先审后发). Every name is fictional and carries 示范 or 演示.

Loading twice changes nothing: every row is found by its natural key before it is created, and
review chains are only driven for items created in this run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from gongkai.agencies import services as agency_services
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
from gongkai.signoff.authorship import name_editor
from gongkai.signoff.models import EditorGrant
from gongkai.workspace.demo_annual import load_annual_demo
from gongkai.workspace.demo_appeals import load_demo_appeals
from gongkai.workspace.demo_applications import load_demo_applications
from gongkai.workspace.demo_disclosure import load_disclosure_demo
from gongkai.workspace.demo_online import load_demo_online
from gongkai.workspace.demo_supervision import load_supervision_demo

DEMO_PASSWORD = "gongkai-demo"  # noqa: S105  (published on the demo login page by design)
DEMO_LABEL = "演示数据"
CITY_NAME = "示范市"
PETITION_BUREAU = "示范市信访局"
GOVERNMENT_OFFICE = "示范市人民政府办公室"
NATURAL_RESOURCES = "示范市自然资源和规划局"

# username, display name, what they do (shown on the demo login page)
DEMO_ACCOUNTS: list[dict[str, str]] = [
    {"username": "drafter", "name": "王晓明", "role_label": "信访局·起草（信息员）"},
    {"username": "reviewer", "name": "李建国", "role_label": "信访局·科室审核（另兼政府办）"},
    {"username": "confidentiality", "name": "陈静", "role_label": "信访局·保密审查"},
    {
        "username": "signer",
        "name": "赵立新",
        "role_label": "信访局·领导签发（分管副局长，另兼政府办）",
    },
    {"username": "handler", "name": "刘洋", "role_label": "信访局·依申请公开办理"},
    {"username": "admin", "name": "孙丽", "role_label": "信访局·单位管理员"},
    {
        "username": "supervisor",
        "name": "周敏",
        "role_label": "示范市政务公开办·监督（只读）；政府办起草汇总年报",
    },
    {"username": "sysadmin", "name": "系统管理员", "role_label": "系统管理员（全部机关）"},
]

# username -> [(agency name, role)]
MEMBERSHIPS: dict[str, list[tuple[str, str]]] = {
    "drafter": [(PETITION_BUREAU, Role.DRAFTER)],
    "reviewer": [(PETITION_BUREAU, Role.REVIEWER), (GOVERNMENT_OFFICE, Role.REVIEWER)],
    "confidentiality": [(PETITION_BUREAU, Role.CONFIDENTIALITY)],
    "signer": [(PETITION_BUREAU, Role.SIGNER), (GOVERNMENT_OFFICE, Role.SIGNER)],
    "handler": [(PETITION_BUREAU, Role.HANDLER)],
    "admin": [(PETITION_BUREAU, Role.AGENCY_ADMIN)],
    # the 政务公开办 sits in the 市政府办: it writes and publishes the city's combined report
    "supervisor": [(GOVERNMENT_OFFICE, Role.DRAFTER)],
}

KIND_LABELS = {
    "region": "区域",
    "agency": "机关",
    "section": "科室",
    "user": "用户",
    "membership": "岗位角色",
    "supervisor_grant": "监督授权",
    "chain_template": "审核流程模板",
    "application": "依申请公开案件",
    "collected_report": "监督收集的年报",
    "disclosure_item": "公开信息",
}


@dataclass
class DemoSummary:
    created: dict[str, int] = field(default_factory=dict)

    def bump(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def describe(self) -> str:
        return "，".join(
            f"{KIND_LABELS.get(kind, kind)} {count}" for kind, count in self.created.items()
        )


def load_demo_data() -> DemoSummary:
    """Create whatever part of the demo dataset is missing; return what was created."""
    summary = DemoSummary()
    with transaction.atomic():
        agencies = _agencies(summary)
        users = _users(summary, agencies)
        _editors(summary, agencies[PETITION_BUREAU], users)
        cases = load_demo_applications(agencies[PETITION_BUREAU], users)
        cases += load_demo_online(agencies[PETITION_BUREAU], users)
        if cases:
            summary.created["application"] = cases
        appeals = load_demo_appeals(agencies[PETITION_BUREAU], users)
        if appeals:
            summary.created["appeal"] = appeals
        load_supervision_demo(users["supervisor"], agencies[PETITION_BUREAU].region, summary)
        load_disclosure_demo(summary, agencies[PETITION_BUREAU], users)
        load_annual_demo(summary)
    return summary


def _agencies(summary: DemoSummary) -> dict[str, Agency]:
    city = Region.objects.filter(name=CITY_NAME, parent=None).first()
    if city is None:
        city = agency_services.create_region(name=CITY_NAME, level=RegionLevel.CITY)
        summary.bump("region")
    specs = {
        PETITION_BUREAU: {
            "short_name": "市信访局",
            "office_name": "示范市信访局办公室",
            "office_address": "示范市示范路88号",
            "office_postcode": "467599",
            "office_phone": "0375-0000000",
            "office_fax": "0375-0000001",
            "office_email": "gongkai@xfj.example.gov.cn",
            "office_hours": "工作日 8:30—12:00，14:30—17:30",
        },
        GOVERNMENT_OFFICE: {"short_name": "市政府办", "office_name": "示范市政务公开办公室"},
        NATURAL_RESOURCES: {
            "short_name": "市自然资源局",
            "office_name": "示范市自然资源和规划局办公室",
        },
    }
    agencies = {}
    for name, contact in specs.items():
        agency = Agency.objects.filter(region=city, name=name).first()
        if agency is None:
            agency = agency_services.create_agency(region=city, name=name, **contact)
            summary.bump("agency")
        agencies[name] = agency
    bureau = agencies[PETITION_BUREAU]
    for section_name in ("办公室", "接访科", "督查督办科"):
        if not Section.objects.filter(agency=bureau, name=section_name).exists():
            agency_services.create_section(agency=bureau, name=section_name)
            summary.bump("section")
    return agencies


def _users(summary: DemoSummary, agencies: dict[str, Agency]) -> dict[str, User]:
    users = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account["username"]).first()
        if user is None:
            user = agency_services.create_user(
                username=account["username"],
                password=DEMO_PASSWORD,
                display_name=account["name"],
                is_superuser=account["username"] == "sysadmin",
            )
            summary.bump("user")
        users[account["username"]] = user
    for username, roles in MEMBERSHIPS.items():
        for agency_name, role in roles:
            agency = agencies[agency_name]
            if not Membership.objects.filter(
                user=users[username], agency=agency, role=role, active=True
            ).exists():
                agency_services.grant_role(user=users[username], agency=agency, role=role)
                summary.bump("membership")
    city = agencies[PETITION_BUREAU].region
    if not SupervisorGrant.objects.filter(user=users["supervisor"], region=city).exists():
        agency_services.grant_supervision(user=users["supervisor"], region=city)
        summary.bump("supervisor_grant")
    return users


def _editors(summary: DemoSummary, bureau: Agency, users: dict[str, User]) -> None:
    """The admin has named one editor, so the 编辑人员 page shows how it is used."""
    office = Section.objects.get(agency=bureau, name="办公室")
    if not EditorGrant.objects.filter(agency=bureau, user=users["handler"], active=True).exists():
        name_editor(actor=users["admin"], agency=bureau, user=users["handler"], section=office)
        summary.bump("editor_grant")
