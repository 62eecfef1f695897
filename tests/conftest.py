"""Shared pytest setup: Django settings, PostgreSQL-only tests, and the named personas.

Personas are built through the real services (so every one of them is also an event in the log):

    示范省 (province)
    ├── 示范市 (``city``)            示范市信访局 (``petition_bureau``), 示范市自然资源和规划局
    │   └── 示范县 (``county``)      示范县信访局 (``county_agency``)
    └── 邻近市 (``other_city``)      邻近市信访局 (``far_agency``)

``other_agency`` is 示范市自然资源和规划局. Users: ``drafter``, ``reviewer``, ``signer``,
``confidentiality_officer``, ``handler``, ``agency_admin`` (each holding that one role in the
petition bureau), ``supervisor`` (read-only over 示范市 and below), ``sysadmin`` (superuser) and
``outsider`` (a drafter of ``other_agency`` only). Every persona's password is ``PASSWORD``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
# Tests run with development settings (no HTTPS redirect, plain static storage, dev secret key).
os.environ.setdefault("GONGKAI_DEBUG", "1")
# Background jobs run at enqueue, so a test proves a job ran by its effect (docs/jobs.md).
os.environ.setdefault("GONGKAI_TASKS", "immediate")

import django

# Set Django up now so the fixtures below can import models at module level (pytest-django
# then only adds its database blocker).
django.setup()

from django.conf import settings  # noqa: E402
from django.test import override_settings  # noqa: E402

from gongkai.agencies.models import RegionLevel  # noqa: E402
from gongkai.agencies.services import (  # noqa: E402
    create_agency,
    create_region,
    create_section,
    create_user,
    grant_role,
    grant_supervision,
)
from gongkai.workdays.calendar import current_calendar  # noqa: E402
from gongkai.workdays.services import seed_bundled_years  # noqa: E402

PASSWORD = "gongkai-test-password"

PETITION_BUREAU_CREDIT_CODE = "11410482005521437A"


def _is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _is_postgres():
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _is_postgres():
        terminalreporter.write_line(
            "注意：默认数据库不是 PostgreSQL，标记为 postgres 的测试（并发等）未运行；"
            "用 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test 运行它们。"
        )


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher() -> Any:
    """Argon2 is deliberately slow; personas are created in almost every test."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_temporary_folder(tmp_path_factory: Any) -> Any:
    """Uploads, attachments and demo files written by tests never land in the repo's data/."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory: Any) -> Any:
    """This worker's 「演示数据」 snapshot (tests/demo_snapshot.py), taken at its first use."""
    from tests.demo_snapshot import DemoSnapshot  # noqa: PLC0415

    return DemoSnapshot(tmp_path_factory.mktemp("demo-media"))


@pytest.fixture
def demo_db(transactional_db: Any, demo_snapshot: Any) -> None:
    """The database holds exactly what `load_demo_data()` creates, as if just loaded: the demo is
    loaded once per worker and restored from its snapshot before every later test."""
    demo_snapshot.restore()


# --- regions and agencies ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """The LocMem cache outlives a test's database rollback: cached portal pages and rate-limit
    counters of one test must never leak into the next."""
    from django.core.cache import cache  # noqa: PLC0415

    cache.clear()


@pytest.fixture
def province(db: Any) -> Any:

    return create_region(name="示范省", level=RegionLevel.PROVINCE, division_code="410000")


@pytest.fixture
def city(province: Any) -> Any:

    return create_region(
        name="示范市", parent=province, level=RegionLevel.CITY, division_code="410400"
    )


@pytest.fixture
def county(city: Any) -> Any:

    return create_region(
        name="示范县", parent=city, level=RegionLevel.COUNTY, division_code="410482"
    )


@pytest.fixture
def other_city(province: Any) -> Any:

    return create_region(
        name="邻近市", parent=province, level=RegionLevel.CITY, division_code="410500"
    )


@pytest.fixture
def petition_bureau(city: Any) -> Any:
    return create_agency(
        region=city,
        name="示范市信访局",
        short_name="市信访局",
        credit_code=PETITION_BUREAU_CREDIT_CODE,
        office_name="示范市信访局办公室",
        office_address="示范市人民路1号",
        office_postcode="467500",
        office_phone="0375-1234567",
        office_hours="工作日 8:30–12:00，14:30–17:30",
    )


@pytest.fixture
def other_agency(city: Any) -> Any:
    return create_agency(region=city, name="示范市自然资源和规划局", short_name="市自然资源局")


@pytest.fixture
def county_agency(county: Any) -> Any:
    return create_agency(region=county, name="示范县信访局", short_name="县信访局")


@pytest.fixture
def far_agency(other_city: Any) -> Any:
    return create_agency(region=other_city, name="邻近市信访局", short_name="邻市信访局")


@pytest.fixture
def office_section(petition_bureau: Any) -> Any:
    return create_section(agency=petition_bureau, name="办公室")


# --- users -------------------------------------------------------------------------------------


@pytest.fixture
def make_member(db: Any) -> Callable[..., Any]:
    """make_member("张三", agency, role, display_name=...) -> user holding that role."""

    def make(
        username: str,
        agency: Any = None,
        *roles: str,
        display_name: str = "",
        section: Any = None,
    ) -> Any:
        user = create_user(username=username, password=PASSWORD, display_name=display_name)
        for role in roles:
            grant_role(user=user, agency=agency, role=role, section=section)
        return user

    return make


@pytest.fixture
def drafter(make_member: Any, petition_bureau: Any, office_section: Any) -> Any:
    return make_member(
        "drafter", petition_bureau, "drafter", display_name="王起草", section=office_section
    )


@pytest.fixture
def reviewer(make_member: Any, petition_bureau: Any, office_section: Any) -> Any:
    return make_member(
        "reviewer", petition_bureau, "reviewer", display_name="李科长", section=office_section
    )


@pytest.fixture
def signer(make_member: Any, petition_bureau: Any) -> Any:
    return make_member("signer", petition_bureau, "signer", display_name="赵局长")


@pytest.fixture
def confidentiality_officer(make_member: Any, petition_bureau: Any) -> Any:
    return make_member("confidentiality", petition_bureau, "confidentiality", display_name="孙保密")


@pytest.fixture
def handler(make_member: Any, petition_bureau: Any) -> Any:
    return make_member("handler", petition_bureau, "handler", display_name="周办理")


@pytest.fixture
def agency_admin(make_member: Any, petition_bureau: Any) -> Any:
    return make_member("agency_admin", petition_bureau, "agency_admin", display_name="吴管理")


@pytest.fixture
def supervisor(db: Any, city: Any) -> Any:
    user = create_user(username="supervisor", password=PASSWORD, display_name="郑督查")
    grant_supervision(user=user, region=city)
    return user


@pytest.fixture
def sysadmin(db: Any) -> Any:
    return create_user(
        username="sysadmin", password=PASSWORD, display_name="系统管理员", is_superuser=True
    )


@pytest.fixture
def outsider(make_member: Any, other_agency: Any) -> Any:
    return make_member("outsider", other_agency, "drafter", display_name="钱外人")


# --- calendar ----------------------------------------------------------------------------------


@pytest.fixture
def bundled_calendar(db: Any) -> Any:
    """The bundled 2004–2026 schedules in the database, whatever earlier tests flushed."""

    seed_bundled_years()
    return current_calendar()
