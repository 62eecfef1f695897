"""「演示数据」 for 主动公开: about 30 items of the demo petition bureau in every state.

Everything goes through the disclosure verbs (so the event log and the 审核登记表 are real);
only publication dates are moved into the past afterwards, so the freshness monitor shows a
lived-in site (some columns fresh, 工作动态 due soon, one column stale). Loading twice changes
nothing: the items are only created when the bureau has none.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from gongkai.agencies.models import Agency, Role, Section
from gongkai.disclosure import services
from gongkai.disclosure.defaults import GUIDE_COLUMN
from gongkai.disclosure.models import Column, Item
from gongkai.signoff import services as signoff
from gongkai.signoff.models import ChainTemplate, Purpose, StepTemplate
from gongkai.workspace.demo_files import demo_pdf

TEMPLATE_NAME = "主动公开三级审核（科室审核→保密审查→领导签发）"
NOTE = "<p>（本文为演示数据）</p>"
# A fictional, checksum-valid ID number: the demo's item held by the personal-data check.
DEMO_ID = "410482199001011232"

# column, kind, title, body, 成文日期 offset in days (None = blank), state, days since publication
SPECS: list[tuple[str, str, str, str, int | None, str, int | None]] = [
    (
        "工作动态",
        "article",
        "市信访局召开2026年第四季度信访工作推进会",
        "<p>会议总结了第三季度工作，部署了下一阶段重点任务。</p>",
        -9,
        "published",
        9,
    ),
    (
        "工作动态",
        "article",
        "市信访局开展“信访条例宣传月”活动",
        "<p>活动通过进社区、进企业等形式宣传《信访工作条例》。</p>",
        -20,
        "published",
        20,
    ),
    (
        "工作动态",
        "article",
        "市信访局领导到县区督导信访积案化解工作",
        "<p>督导组听取了各县区工作汇报。</p>",
        -40,
        "published",
        40,
    ),
    (
        "工作动态",
        "article",
        "市信访局组织业务骨干培训",
        "<p>培训内容包括网上信访办理规范。</p>",
        -2,
        "in_review",
        None,
    ),
    (
        "工作动态",
        "article",
        "市信访局开展“接诉即办”专项行动（初稿）",
        "<p>行动方案待完善。</p>",
        None,
        "draft",
        None,
    ),
    (
        "工作动态",
        "article",
        "信访事项办理情况（修改中）",
        "<p>第三季度办理情况通报。</p>",
        -30,
        "published_edited",
        30,
    ),
    (
        "通知公告",
        "reception_schedule",
        "2026年12月市信访局领导公开接访日程",
        "<p>12月3日（周四）赵局长在市群众来访接待中心接访；12月10日李副局长接访。</p>",
        -3,
        "approved",
        None,
    ),
    (
        "通知公告",
        "reception_schedule",
        "2026年11月市信访局领导公开接访日程",
        "<p>11月每周四上午领导轮流接访。</p>",
        -35,
        "published_confirmed",
        33,
    ),
    (
        "通知公告",
        "article",
        "关于2027年元旦期间信访接待安排的通知",
        "<p>元旦假期期间网上信访渠道正常受理。</p>",
        -1,
        "scheduled",
        None,
    ),
    (
        "通知公告",
        "article",
        "关于调整群众来访接待时间的公告",
        "<p>自2026年10月起，接待时间调整为工作日8:30—17:30。</p>",
        -60,
        "published",
        58,
    ),
    (
        "通知公告",
        "article",
        "关于征集信访工作意见建议的公告（已撤稿）",
        "<p>征集意见。</p>",
        -80,
        "withdrawn",
        78,
    ),
    (
        "通知公告",
        "article",
        "信访事项复查复核结果公示",
        f"<p>申请人张某（身份证号 {DEMO_ID}）的复查申请已办结。</p>",
        -4,
        "held",
        None,
    ),
    (
        "政策文件",
        "policy",
        "示范市信访局关于进一步规范信访事项受理办理程序的通知",
        "<p>一、规范受理登记。二、规范办理时限。三、规范答复告知。</p>",
        -50,
        "published",
        48,
    ),
    (
        "政策文件",
        "policy",
        "示范市信访局2026年信访工作要点",
        "<p>全年工作要点共五个方面。</p>",
        -300,
        "published",
        290,
    ),
    (
        "政策文件",
        "policy",
        "示范市信访局关于做好节假日期间信访工作的通知",
        "<p>做好值班值守。</p>",
        -6,
        "returned",
        None,
    ),
    (
        "行政规范性文件",
        "normative",
        "示范市信访事项网上办理规定",
        "<p>第一条 为规范网上信访事项办理……</p>",
        -400,
        "published_valid",
        390,
    ),
    (
        "行政规范性文件",
        "normative",
        "示范市信访事项复查复核办法（已废止）",
        "<p>第一条 为规范复查复核工作……</p>",
        -1500,
        "published_repealed",
        1490,
    ),
    (
        "行政规范性文件",
        "normative",
        "示范市信访听证办法（修订）",
        "<p>第一条 为规范信访听证……</p>",
        -90,
        "published_valid",
        85,
    ),
    (
        "政策解读",
        "interpretation",
        "《示范市信访事项网上办理规定》政策解读",
        "<p>一、起草背景。二、主要内容。三、适用范围。</p>",
        -398,
        "published",
        388,
    ),
    (
        "政策解读",
        "interpretation",
        "图解：信访事项办理流程",
        "<p>一图读懂信访事项从登记到答复的流程。</p>",
        -45,
        "published",
        44,
    ),
    (
        "政策解读",
        "interpretation",
        "《示范市信访听证办法》修订解读",
        "<p>修订的主要内容。</p>",
        -5,
        "step2",
        None,
    ),
    (
        "规划计划",
        "policy",
        "示范市信访工作“十四五”规划",
        "<p>规划期为2021—2025年。</p>",
        -1700,
        "published",
        1690,
    ),
    (
        "财政预决算",
        "article",
        "示范市信访局2026年部门预算",
        "<p>2026年部门预算收支总表等九张表格。</p>",
        -280,
        "published",
        275,
    ),
    (
        "财政预决算",
        "article",
        "示范市信访局2025年部门决算",
        "<p>2025年部门决算情况说明。</p>",
        -150,
        "published",
        148,
    ),
    (
        "人事信息",
        "article",
        "示范市信访局2026年公开遴选公务员拟遴选人员公示",
        "<p>公示期为5个工作日。</p>",
        -100,
        "published",
        99,
    ),
    (
        "机构职能",
        "article",
        "示范市信访局主要职责",
        "<p>贯彻落实党中央关于信访工作的方针政策……</p>",
        -700,
        "published",
        690,
    ),
    (
        "政府信息公开指南",
        "article",
        "示范市信访局政府信息公开指南",
        "",  # generated by services.draft_guide from the bureau's settings
        -365,
        "published",
        360,
    ),
    (
        "政府信息公开制度",
        "article",
        "示范市信访局政府信息公开工作制度",
        "<h2>一、主动公开发布审核制度</h2><p>拟公开的政府信息由起草科室拟稿，科室负责人审核、"
        "保密审查后报分管领导签发（分级审核、先审后发），发布人、签发人记录在案。</p>"
        "<h2>二、保密审查制度</h2><p>政府信息公开前依照《中华人民共和国保守国家秘密法》"
        "等规定进行保密审查，不能确定是否可以公开的，依法报有关主管部门确定。</p>"
        "<h2>三、依申请公开办理制度</h2><p>申请统一登记、按期答复、告知书经审核签发后送达，"
        "全部材料归档备查。</p>"
        "<h2>四、监督考核制度</h2><p>政府信息公开工作纳入年度绩效考核，"
        "每年1月31日前公布上一年度政府信息公开工作年度报告。</p>",
        -365,
        "published",
        360,
    ),
    (
        "政府信息公开年报",
        "article",
        "示范市信访局2025年政府信息公开工作年度报告",
        "<p>一、总体情况……</p>",
        -300,
        "published",
        300,
    ),
    (
        "工作动态",
        "article",
        "市信访局召开党组理论学习中心组会议",
        "<p>会议传达学习了有关文件精神。</p>",
        -12,
        "approved",
        None,
    ),
]

NO_CONTENT = {
    "行政许可": "本机关无行政许可事项。",
    "行政处罚和行政强制": "本机关无行政处罚和行政强制事项。",
}


def _template(summary: Any) -> ChainTemplate:
    template, created = ChainTemplate.objects.get_or_create(
        agency=None, purpose=Purpose.DISCLOSURE_ITEM, name=TEMPLATE_NAME
    )
    if created:
        for order, name, role in (
            (1, "科室审核", Role.REVIEWER),
            (2, "保密审查", Role.CONFIDENTIALITY),
            (3, "领导签发", Role.SIGNER),
        ):
            StepTemplate.objects.create(template=template, order=order, name=name, role=role)
        summary.bump("chain_template")
    return template


# Published items that carry an attachment on the portal: title -> (file name, its text).
ATTACHMENTS = {
    "图解：信访事项办理流程": ("信访事项办理流程图.pdf", "Petition handling flow (demo)")
}


def load_disclosure_demo(summary: Any, bureau: Agency, users: dict[str, Any]) -> None:
    _template(summary)
    services.seed_default_columns(bureau)
    if Item.objects.filter(agency=bureau).exists():
        return
    office = Section.objects.filter(agency=bureau, name="办公室").first()
    for column in Column.objects.filter(agency=bureau):
        values: dict[str, Any] = {}
        if office is not None and column.update_days:
            values["owner_section"] = office
        if column.name in NO_CONTENT:
            values["no_content_statement"] = NO_CONTENT[column.name]
        if values:
            services.update_column(column, actor=None, **values)
    columns = {c.name: c for c in Column.objects.filter(agency=bureau)}
    today = timezone.localdate()
    for column_name, kind, title, body, written, state, days_ago in SPECS:
        if column_name == GUIDE_COLUMN:
            # The guide is written from the bureau's registered office details (the same verb
            # as the workspace button), then reviewed and published like any item.
            item = services.draft_guide(bureau, actor=users["drafter"])
            item = services.update_item(item, actor=users["drafter"], body=item.body + NOTE)
            _drive(item, state, users)
            _backdate(item, days_ago or 0)
            summary.bump("disclosure_item")
            continue
        item = services.create_item(
            actor=users["drafter"],
            column=columns[column_name],
            kind=kind,
            title=title,
            body=body + NOTE,
            written_date=today + timedelta(days=written) if written is not None else None,
            subject="综合政务",
            **_validity(state, today, written),
        )
        if title in ATTACHMENTS:
            name, line = ATTACHMENTS[title]
            services.add_attachment(item, actor=users["drafter"], name=name, data=demo_pdf(line))
        _drive(item, state, users)
        if days_ago is not None:
            _backdate(item, days_ago)
        summary.bump("disclosure_item")
    # The backdating above bypasses the verbs: index the dates the portal shows.
    from gongkai.search.index import reindex  # noqa: PLC0415

    reindex(agency=bureau)


def _validity(state: str, today: date, written: int | None) -> dict[str, Any]:
    if state == "published_valid":
        return {"validity": "valid", "effective_date": today + timedelta(days=(written or 0) + 10)}
    if state == "published_repealed":
        return {
            "validity": "repealed",
            "effective_date": today + timedelta(days=(written or 0) + 10),
            "validity_changed_on": today - timedelta(days=200),
        }
    return {}


def _review(item: Item, users: dict[str, Any], *, until: int = 3) -> Item:
    item.refresh_from_db()
    chain = services.submit_item(
        item, actor=users["drafter"], revision_hash=item.signoff_revision()
    )
    for person in ("reviewer", "confidentiality", "signer")[:until]:
        step = chain.steps.get(round=chain.round, status="active")
        signoff.approve_step(step, actor=users[person], revision_hash=chain.revision_hash)
        chain.refresh_from_db()
    if until == 3:
        # The chain_approved signal runs on commit, after this whole load: apply it now.
        services.on_chain_approved(chain)
    item.refresh_from_db()
    return item


def _drive(item: Item, state: str, users: dict[str, Any]) -> None:
    drafter = users["drafter"]
    if state in ("draft", "held"):
        return
    if state == "in_review":
        services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
        return
    if state == "step2":
        _review(item, users, until=1)
        return
    if state == "returned":
        chain = services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
        signoff.return_for_revision(
            chain.steps.get(status="active"), actor=users["reviewer"], comment="请补充文件依据。"
        )
        services.on_chain_returned(chain)
        return
    item = _review(item, users)
    if state == "approved":
        return
    if state == "scheduled":
        at = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=2)
        services.publish_item(item, actor=drafter, at=at)
        return
    if state == "published_confirmed":
        services.confirm_schedule(item, actor=drafter)
    services.publish_item(item, actor=drafter)
    if state == "published_edited":
        services.update_item(
            item, actor=drafter, body="<p>第三季度办理情况通报（补充了数据来源）。</p>" + NOTE
        )
    if state == "withdrawn":
        services.withdraw_item(item, actor=users["admin"], reason="征集活动已结束，按程序撤稿。")


def _backdate(item: Item, days: int) -> None:
    """Demo only: move the publication into the past so the site looks lived-in."""
    item.refresh_from_db()
    if item.first_published_at is None:
        return
    when: datetime = timezone.now() - timedelta(days=days)
    Item.objects.filter(pk=item.pk).update(first_published_at=when, published_at=when)
    column = Column.objects.get(pk=item.column_id)
    latest = Item.objects.filter(column=column, first_published_at__isnull=False).order_by(
        "-published_at"
    )
    newest = latest.values_list("published_at", flat=True).first()
    Column.objects.filter(pk=column.pk).update(last_published_at=newest)
