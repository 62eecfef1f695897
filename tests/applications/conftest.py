"""Application factories: every case is made through the services, like a clerk would."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongkai.applications import services

# A valid resident ID (checksum X) and credit code used across the tests; all fictional.
RESIDENT_ID = "11010519491231002X"
COMPANY_CODE = "91350100M000100Y43"


@pytest.fixture
def make_application(bundled_calendar: Any, handler: Any, petition_bureau: Any) -> Any:
    def make(**overrides: Any) -> Any:
        fields: dict[str, Any] = {
            "actor": handler,
            "agency": petition_bureau,
            "channel": "post",
            "event_on": date(2026, 3, 2),
            "applicant_class": "natural_person",
            "applicant_name": "张三",
            "id_type": "resident_id",
            "id_number": RESIDENT_ID,
            "contact_phone": "13812345678",
            "contact_email": "zhangsan@example.com",
            "request_text": "请公开2025年本局信访事项办理情况统计。",
        }
        fields.update(overrides)
        return services.register_application(**fields)

    return make
