"""Demo register: a few reconsiderations and suits over the bureau's demo applications, one of
each table-四 outcome, so the register page and table 四 are meaningful."""

from __future__ import annotations

from datetime import date
from typing import Any

from gongkai.appeals import services
from gongkai.appeals.models import AppealCase
from gongkai.applications.models import Application


def load_demo_appeals(bureau: Any, users: dict[str, Any]) -> int:
    """Create the bureau's demo cases unless it already has some; returns how many."""
    if AppealCase.objects.filter(agency=bureau).exists():
        return 0
    apps = list(
        Application.objects.filter(agency=bureau, closed_on__isnull=False).order_by("pk")[:4]
    )
    if len(apps) < 4:
        return 0
    handler = users["handler"]

    def register(app: Any, kind: str, body: str, number: str, filed: date, **kw: Any) -> Any:
        return services.register_appeal(
            actor=handler,
            application=app,
            kind=kind,
            appellant=app.applicant_name,
            body=body,
            case_number=number,
            filed_on=filed,
            **kw,
        )

    gov, court = "示范市人民政府", "示范市人民法院"
    upheld = register(apps[0], "reconsideration", gov, "示政复〔2026〕3号", date(2026, 3, 2))
    services.record_decision(upheld, actor=handler, outcome="upheld", decided_on=date(2026, 4, 28))
    suit = register(
        apps[0],
        "litigation_after_reconsideration",
        court,
        "（2026）豫0402行初15号",
        date(2026, 5, 11),
        prior=upheld,
        body_co_defendant=True,
    )
    services.record_decision(
        suit, actor=handler, outcome="other", decided_on=date(2026, 8, 3), note="原告撤诉"
    )
    corrected = register(apps[1], "reconsideration", gov, "示政复〔2026〕9号", date(2026, 4, 7))
    services.record_decision(
        corrected,
        actor=handler,
        outcome="corrected",
        decided_on=date(2026, 6, 1),
        note="责令被申请人在法定期限内重新答复",
    )
    register(
        apps[2],
        "litigation_direct",
        court,
        "（2026）豫0402行初41号",
        date(2026, 11, 9),
        answer_due_on=date(2026, 11, 24),
        evidence_due_on=date(2026, 11, 24),
    )
    register(
        apps[3],
        "reconsideration",
        gov,
        "示政复〔2026〕27号",
        date(2026, 11, 23),
        answer_due_on=date(2026, 12, 7),
    )
    return 5
