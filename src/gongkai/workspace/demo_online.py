"""「演示数据」 for the portal's online application: two cases filed through the public form.

Their tracking codes are fixed and documented (docs/demo.md, printed by ``gongkai demo``) so a
visitor can try the tracking page: one case is in progress (a handler can act on it and the
tracking page follows), the other is answered with a signed letter to download. Real codes are
random; only the demo passes ``code=`` to the verb. Loading twice changes nothing.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from gongkai.applications import online
from gongkai.applications.models import OnlineSubmission
from gongkai.workspace.demo_applications import DEMO_MARK, _answer, _letter_template

DEMO_CONTACT = "13800009999"
# (code, submitted on, what is asked, answered on or None)
DEMO_CASES: list[tuple[str, date, str, date | None]] = [
    ("YANSH-2026A-BCDEF-GHJK7", date(2026, 11, 23), "2026年信访事项办理情况月度统计", None),
    ("YANSH-2026B-MNPQR-STUV8", date(2026, 9, 1), "信访听证工作实施办法", date(2026, 9, 15)),
]


def _proof_png() -> bytes:
    from PIL import Image, ImageDraw  # noqa: PLC0415  (Pillow ships with the captcha)

    image = Image.new("RGB", (320, 200), "#e5e7eb")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 311, 191), outline="#9b1c1c", width=3)
    draw.text((24, 90), "DEMO ID PROOF - FAKE", fill="#1a1a1a")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load_demo_online(bureau: Any, users: dict[str, Any]) -> int:
    """Create the demo online cases that are missing; returns how many were created."""
    created = 0
    for i, (code, submitted, what, answered) in enumerate(DEMO_CASES):
        if OnlineSubmission.objects.filter(code_hash=online.code_hash(code)).exists():
            continue
        _letter_template()
        result = online.submit_online(
            agency=bureau,
            applicant_class="natural_person",
            applicant_name=["韩梅梅", "李雷"][i % 2],
            id_type="passport",  # no resident ID number, not even a fake one
            id_number=f"E0000000{i}",
            contact_phone=DEMO_CONTACT,
            request_text=f"申请公开：{what}。{DEMO_MARK}",
            form_wanted="electronic",
            delivery_wanted="online",
            proof_data=_proof_png(),
            submitted_on=submitted,
            code=code,
        )
        if answered is not None:
            _answer(users, result.application, "granted", "", answered)
        created += 1
    return created
