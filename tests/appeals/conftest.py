"""Appeal factories: applications and cases are made through the services, like a clerk would."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongkai.appeals import services
from gongkai.applications import services as application_services


@pytest.fixture
def make_application(bundled_calendar: Any, handler: Any, petition_bureau: Any) -> Any:
    def make(**overrides: Any) -> Any:
        fields: dict[str, Any] = {
            "actor": handler,
            "agency": petition_bureau,
            "channel": "in_person",
            "event_on": date(2025, 3, 3),
            "applicant_class": "natural_person",
            "applicant_name": "张三",
            "contact_email": "zhangsan@example.com",
            "request_text": "请公开2024年本局信访事项办理情况统计。",
        }
        fields.update(overrides)
        return application_services.register_application(**fields)

    return make


@pytest.fixture
def make_appeal(make_application: Any, handler: Any) -> Any:
    def make(application: Any = None, **overrides: Any) -> Any:
        fields: dict[str, Any] = {
            "actor": handler,
            "application": application or make_application(),
            "kind": "reconsideration",
            "appellant": "张三",
            "body": "示范市人民政府",
            "filed_on": date(2025, 5, 6),
            "case_number": "示政复〔2025〕12号",
        }
        fields.update(overrides)
        return services.register_appeal(**fields)

    return make
