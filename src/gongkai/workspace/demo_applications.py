"""「演示数据」 for 依申请公开: a year (2026) of cases of 示范市信访局 in every state and outcome.

Every case goes through the real services (numbers, clock events, deadlines, events). One is
received in December 2026 and paused for a consultation, so its deadline falls in 2027 and is
provisional until the 2027 holiday schedule is loaded. Loading twice changes nothing: the
bureau's cases are only created when it has none.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.signoff import selectors as signoff_selectors
from gongkai.signoff import services as signoff
from gongkai.signoff.models import ChainTemplate, Purpose, StepTemplate
from gongkai.workdays.services import seed_bundled_years
from gongkai.workspace.demo_files import demo_pdf

DEMO_MARK = "（演示数据）"
LETTER_TEMPLATE_NAME = "告知书签发（领导签发）"

# the table 三 outcomes a clerk decides directly, with the reason a real answer would give
OUTCOMES: list[tuple[str, str, str]] = [
    ("granted", "2025年度信访工作统计公报", ""),
    ("granted", "市领导公开接访日程安排", ""),
    ("granted", "信访事项办理流程图", ""),
    (
        "partially_granted",
        "某小区信访事项的处理意见书",
        "涉及第三方个人信息部分不予公开（条例第三十七条）",
    ),
    ("denied_state_secret", "某专项工作的内部部署文件", "经保密审查属于国家秘密（条例第十四条）"),
    ("denied_prohibited_by_law", "某举报人的身份信息", "法律禁止公开（条例第十四条）"),
    ("denied_three_safeties", "维稳工作预案", "公开后可能危及社会稳定（条例第十四条）"),
    (
        "denied_third_party_rights",
        "某企业的信访材料",
        "第三方不同意公开且理由成立（条例第十五条、第三十二条）",
    ),
    (
        "denied_internal_affairs",
        "局机关人员考勤记录",
        "属于人事管理内部事务信息（条例第十六条第一款）",
    ),
    ("denied_process_information", "某会议讨论记录", "属于过程性信息（条例第十六条第二款）"),
    ("denied_enforcement_files", "某信访事项复查案卷", "属于行政执法案卷（条例第十六条第二款）"),
    (
        "denied_administrative_query",
        "本人信访件办理进度",
        "属于行政查询事项，已告知查询渠道（条例第三十六条第（七）项）",
    ),
    (
        "unable_not_held",
        "某区道路改造工程合同",
        "本机关不掌握，建议向示范市住建局申请（条例第三十六条第（五）项）",
    ),
    ("unable_requires_creation", "近十年信访数据按街道分析报告", "需要另行制作（条例第三十八条）"),
    ("unable_still_unclear", "有关文件", "补正后申请内容仍不明确（条例第三十条）"),
    (
        "not_processed_petition_complaint",
        "要求处理邻里纠纷",
        "属于信访诉求，已告知依信访渠道提出（条例第三十九条第一款）",
    ),
    ("not_processed_repeated", "2025年度信访工作统计公报", "重复申请（条例第三十六条第（六）项）"),
    (
        "not_processed_publication",
        "《示范市年鉴2025》",
        "要求提供公开出版物，已告知获取途径（条例第三十九条第二款）",
    ),
    ("not_processed_excessive", "本局全部文件", "无正当理由大量反复申请（条例第三十五条）"),
    (
        "not_processed_confirmation",
        "确认已获取的答复书",
        "要求重新出具已获取信息（条例第三十九条）",
    ),
    ("other_other", "撤回的申请", "申请人撤回申请"),
]
NAMES = ["张伟", "王芳", "李娜", "刘强", "陈静", "杨洋", "赵敏", "黄磊", "周杰", "吴霞"]
COMPANIES = [
    ("commercial", "示范市某某建设有限公司", "91410400MA0000001D"),
    ("research", "示范市社会治理研究院", ""),
    ("social_welfare", "示范市某某公益服务中心", ""),
    ("legal_services", "河南某某律师事务所", ""),
    ("other_org", "示范市某某业主委员会", ""),
]
CHANNELS = ["post", "online", "in_person", "email", "letter", "fax"]


def _applicant(i: int) -> dict[str, Any]:
    if i % 4 == 3:
        klass, name, code = COMPANIES[i % len(COMPANIES)]
        return {
            "applicant_class": klass,
            "applicant_name": name,
            "id_type": "credit_code" if code else "none",
            "id_number": code,
            "contact_address": "示范市示范路100号",
            "contact_email": f"demo-org{i}@example.com",
        }
    return {
        "applicant_class": "natural_person",
        "applicant_name": NAMES[i % len(NAMES)],
        "id_type": "none",
        "contact_phone": f"1380000{i:04d}",
    }


def _register(users: dict[str, Any], bureau: Any, i: int, received: date, what: str) -> Any:
    return services.register_application(
        actor=users["handler"],
        agency=bureau,
        channel=CHANNELS[i % len(CHANNELS)],
        event_on=received,
        request_text=f"申请公开：{what}。{DEMO_MARK}",
        **_applicant(i),
    )


def _letter_template() -> None:
    template, created = ChainTemplate.objects.get_or_create(
        agency=None, purpose=Purpose.NOTICE_LETTER, name=LETTER_TEMPLATE_NAME
    )
    if created:
        StepTemplate.objects.create(
            template=template, order=1, name="领导签发", role=Role.SIGNER, forbid_self_approval=True
        )


def _sign(users: dict[str, Any], letter: Any) -> None:
    chain = signoff.submit_for_review(
        letter, actor=users["handler"], revision_hash=letter.signoff_revision()
    )
    step = chain.steps.get(status="active")
    signoff.approve_step(step, actor=users["signer"], revision_hash=chain.revision_hash)
    # The chain_approved signal runs after the demo's one transaction commits; sign now so the
    # answer can be delivered in this run (the receiver then finds the letter already signed).
    services.sign_letter(letter)


def _extend(users: dict[str, Any], app: Any, days: int, reason: str, on: date) -> Any:
    """Request the extension and have the office head approve it the same day."""
    request = services.request_extension(
        app, actor=users["handler"], days=days, reason=reason, on=on
    )
    chain = signoff_selectors.chains_for(request).get()
    step = chain.steps.get(status="active")
    signoff.approve_step(step, actor=users["signer"], revision_hash=chain.revision_hash)
    # as in _sign: the receiver runs after the demo's transaction and would take today as the
    # approval day; apply with the scenario's day now (the receiver then finds it decided)
    services.apply_extension(request, approved_by=users["signer"], approved_on=on)
    return request


def _reject_extension(users: dict[str, Any], app: Any, days: int, reason: str, on: date) -> Any:
    request = services.request_extension(
        app, actor=users["handler"], days=days, reason=reason, on=on
    )
    chain = signoff_selectors.chains_for(request).get()
    comment = "案件刚受理，理由不足以延长，请在法定期限内答复"
    step = signoff.return_for_revision(
        chain.steps.get(status="active"), actor=users["signer"], comment=comment
    )
    services.reject_extension(request, rejected_by=users["signer"], comment=comment, on=on)
    return step


def _answer(users: dict[str, Any], app: Any, outcome: str, note: str, on: date) -> Any:
    handler = users["handler"]
    app = services.decide(app, actor=handler, outcome=outcome, decided_on=on, note=note)
    _sign(users, app.letters.get(kind="answer"))
    return services.record_answer(
        app, actor=handler, delivery="post", on=on + timedelta(days=1), detail="EMS 演示单号"
    )


def load_demo_applications(bureau: Any, users: dict[str, Any]) -> int:
    """Create the bureau's demo cases unless it already has some; returns how many."""
    if Application.objects.filter(agency=bureau).exists():
        return 0
    seed_bundled_years()
    _letter_template()
    handler = users["handler"]
    created = 0
    # closed cases, one per outcome, spread over January–November 2026
    for i, (outcome, what, note) in enumerate(OUTCOMES):
        received = date(2026, 1, 5) + timedelta(days=14 * i)
        app = _register(users, bureau, i, received, what)
        if outcome == "unable_still_unclear":
            app = services.request_correction(
                app,
                actor=handler,
                sent_on=received + timedelta(days=2),
                reply_by=received + timedelta(days=16),
                note="请说明所需文件的名称或文号",
            )
            app = services.record_correction(
                app, actor=handler, received_on=received + timedelta(days=9)
            )
        _answer(users, app, outcome, note, received + timedelta(days=12))
        created += 1
    # 补正 never answered → other_no_correction
    app = _register(users, bureau, 30, date(2026, 4, 1), "有关材料")
    app = services.request_correction(
        app,
        actor=handler,
        sent_on=date(2026, 4, 3),
        reply_by=date(2026, 4, 17),
        note="请明确所需信息的名称、文号或其他特征描述",
    )
    services.close_no_correction(app, actor=handler, on=date(2026, 4, 20))
    # fee notice that lapsed → other_unpaid_fee
    app = _register(users, bureau, 31, date(2026, 6, 1), "2016年以来全部信访件登记表复印件")
    app = services.send_fee_notice(app, actor=handler, received_on=date(2026, 6, 4), pages=450)
    services.lapse_fee(app, actor=handler, on=date(2026, 7, 6))
    created += 2
    # consultation then extension, answered
    app = _register(users, bureau, 32, date(2026, 8, 3), "某企业信访事项处理结果")
    app = services.start_consultation(
        app,
        actor=handler,
        party="third_party",
        party_name="示范市某某建设有限公司",
        received_on=date(2026, 8, 5),
    )
    app = services.record_consultation_reply(
        app, actor=handler, replied_on=date(2026, 8, 20), note="同意公开"
    )
    _extend(users, app, 15, "需调取多年档案", date(2026, 8, 21))
    _answer(users, app, "granted", "", date(2026, 9, 18))
    created += 1
    # open cases in every state
    _register(users, bureau, 33, date(2026, 10, 26), "2026年第三季度信访形势分析")  # overdue
    app = _register(users, bureau, 34, date(2026, 11, 10), "信访听证工作规定")  # due soon
    # an extension request waiting for the office head (in the signer's inbox)
    services.request_extension(
        app,
        actor=handler,
        days=10,
        reason="所需信息涉及多个科室的历年材料，需逐件核查",
        on=date(2026, 11, 30),
    )
    app = _register(users, bureau, 35, date(2026, 11, 30), "网上信访平台建设合同")  # just in
    # an extension request the office head did not approve: the clock is unchanged
    _reject_extension(users, app, 20, "工作量较大", date(2026, 12, 1))
    app = _register(users, bureau, 36, date(2026, 11, 25), "有关会议")
    services.request_correction(
        app,
        actor=handler,
        sent_on=date(2026, 11, 27),
        reply_by=date(2026, 12, 18),
        note="请说明会议名称和大致时间",
    )
    app = _register(users, bureau, 37, date(2026, 11, 16), "信访事项复查复核案卷目录")
    services.send_fee_notice(app, actor=handler, received_on=date(2026, 11, 20), items=15)
    app = _register(users, bureau, 38, date(2026, 11, 18), "某街道信访积案化解情况")
    app = services.decide(
        app, actor=handler, outcome="granted", decided_on=date(2026, 11, 30), note=""
    )
    # signed, the disclosed document attached and delivered online: the link waits for the
    # applicant's first download (the answer day)
    _sign(users, app.letters.get(kind="answer"))
    services.add_answer_document(
        app, actor=handler, data=demo_pdf(), filename="某街道信访积案化解情况统计.pdf"
    )
    services.deliver_online(app, actor=handler)
    # December receipt paused by a consultation: the deadline lands in 2027, provisional
    app = _register(users, bureau, 39, date(2026, 12, 1), "某企业与业主的信访调解协议")
    services.start_consultation(
        app,
        actor=handler,
        party="third_party",
        party_name="示范市某某业主委员会",
        received_on=date(2026, 12, 2),
    )
    created += 7
    _letterhead(users["admin"], bureau)
    return created


def _letterhead(admin: Any, bureau: Any) -> None:
    """The bureau's own 红头 for the 补正 notice: the default with its name line reworded, as an
    agency would after editing the downloaded template in Word (shows 「本机关第 1 版」)."""
    import io  # noqa: PLC0415

    import docx  # noqa: PLC0415

    from gongkai.applications.docx_templates import build_default  # noqa: PLC0415

    document = docx.Document(io.BytesIO(build_default("correction")))
    document.paragraphs[0].runs[0].text = "{{ agency_name }}文件"
    document.add_paragraph("联系电话：0000-00000000（演示数据）")
    buffer = io.BytesIO()
    document.save(buffer)
    services.upload_letter_template(
        actor=admin,
        agency=bureau,
        key="correction",
        data=buffer.getvalue(),
        filename="补正告知书（本局红头）.docx",
    )
