"""The 政府信息公开指南, written from the agency's registered settings and the law.

《政府信息公开条例》第十二条 requires every agency to publish a guide: how its information is
organised, how to apply, the office that handles applications (name, address, hours, phone,
fax, e-mail). The text below is assembled from :class:`GuideFacts` — plain data read off the
agency — and the statute as it is encoded in :mod:`gongkai.law` (channels, time limits, the
fee bands of 国办函〔2020〕109号), so it never drifts from the rules the platform applies.

Kept free of Django and the database: ``GuideFacts.from_agency`` only reads attributes, and
the generator is a pure function of the facts (tests build facts directly). A registered field
that is blank is left out of the text, never shown as an empty value; a channel whose contact is
missing (no fax number, no e-mail) is not offered.

The verb that turns the text into a reviewable item is
:func:`gongkai.disclosure.services.draft_guide`; the portal's guide page shows the generated
text only until the agency has published its own (reviewed) guide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from gongkai.law import fees

GUIDE_TITLE_SUFFIX = "政府信息公开指南"
# Said wherever the generated text is shown before the agency has published its own guide.
GENERATED_LABEL = "根据本机关登记信息自动生成"


@dataclass(frozen=True)
class GuideFacts:
    agency_name: str
    office_name: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    hours: str = ""
    website: str = ""
    # Root columns of the agency's 专栏 in display order, each with its children's names.
    columns: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    @classmethod
    def from_agency(cls, agency: Any, columns: Any = ()) -> GuideFacts:
        return cls(
            agency_name=agency.name,
            office_name=agency.office_name.strip(),
            address=agency.office_address.strip(),
            postcode=agency.office_postcode.strip(),
            phone=agency.office_phone.strip(),
            fax=agency.office_fax.strip(),
            email=agency.office_email.strip(),
            hours=agency.office_hours.strip(),
            website=agency.website.strip(),
            columns=tuple((name, tuple(children)) for name, children in columns),
        )

    @property
    def office(self) -> str:
        return self.office_name or self.agency_name


def guide_title(facts: GuideFacts) -> str:
    return f"{facts.agency_name}{GUIDE_TITLE_SUFFIX}"


def _p(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def _ul(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


def contact_lines(facts: GuideFacts) -> list[str]:
    """The office's registered contact details, one line each; blanks are left out."""
    pairs = (
        ("机构名称", facts.office),
        ("办公地址", facts.address),
        ("邮政编码", facts.postcode),
        ("办公时间", facts.hours),
        ("咨询电话", facts.phone),
        ("传真", facts.fax),
        ("电子邮箱", facts.email),
        ("网站", facts.website),
    )
    return [f"{label}：{value}" for label, value in pairs if value]


def channel_lines(facts: GuideFacts) -> list[str]:
    """The ways an application can reach this agency (条例第二十九条: in writing, including
    data messages), offered only where the agency has registered the contact they need."""
    lines = [
        "在线申请：通过本机关政府信息公开专栏的「依申请公开」栏目在线填写并提交申请。",
    ]
    if facts.address:
        hours = f"（{facts.hours}）" if facts.hours else ""
        lines.append(f"当面申请：到{facts.office}（{facts.address}）{hours}填写申请表。")
        post = f"，邮政编码 {facts.postcode}" if facts.postcode else ""
        lines.append(
            f"信函申请：寄至{facts.address}{facts.office}{post}，"
            "请在信封左下角注明「政府信息公开申请」字样。"
        )
    if facts.fax:
        lines.append(f"传真申请：传真至 {facts.fax}，并注明「政府信息公开申请」字样。")
    if facts.email:
        lines.append(f"电子邮件申请：发送至 {facts.email}，邮件标题注明「政府信息公开申请」。")
    lines.append("以书面形式申请确有困难的，可以口头提出，由本机关代为填写申请，申请人签字确认。")
    return lines


def item_fee_lines() -> list[str]:
    free, first_to, first_rate = fees.ITEM_FREE, fees.ITEM_FIRST_PAID_TO, fees.ITEM_FIRST_RATE
    band, step = fees.ITEM_BAND_SIZE, fees.ITEM_RATE_STEP
    s1, s2 = first_to + 1, first_to + band + 1
    return [
        f"1—{free}件（含）免费；",
        f"{free + 1}—{first_to}件（含）{first_rate}元/件；",
        f"{s1}件以上以{band}件为一档，每增加一档，收费标准提高{step}元/件"
        f"（{s1}—{s1 + band - 1}件{first_rate + step}元/件，"
        f"{s2}—{s2 + band - 1}件{first_rate + 2 * step}元/件，依此类推）。",
    ]


def page_fee_lines() -> list[str]:
    lines = []
    for start, end, rate in fees.PAGE_BANDS:
        span = f"{start}—{end}页（含）" if end is not None else f"{start}页以上"
        lines.append(f"{span}{'免费' if rate == 0 else f'{rate}元/页'}；")
    lines[-1] = lines[-1].rstrip("；") + "。"
    return lines


def _layout(facts: GuideFacts) -> str:
    if not facts.columns:
        return _p("本机关政府信息公开专栏的栏目正在建设中。")
    parts = ["<ul>"]
    for name, children in facts.columns:
        inner = f"（包括：{'、'.join(children)}）" if children else ""
        parts.append(f"<li>{escape(name + inner)}</li>")
    parts.append("</ul>")
    return "".join(parts)


def guide_html(facts: GuideFacts) -> str:
    """The guide's body: HTML within the rich-text allow-list (h2, h3, p, ul, li)."""
    office = facts.office
    contacts = contact_lines(facts)
    out = [
        _p(
            f"为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》"
            f"（以下简称《条例》）的规定，编制本指南。申请人可以向{facts.agency_name}"
            "获取本机关制作或者保存的政府信息。"
        ),
        "<h2>一、主动公开</h2>",
        "<h3>（一）公开范围</h3>",
        _p(
            "本机关依照《条例》第十九条、第二十条的规定，主动公开涉及公众利益调整、需要公众"
            "广泛知晓或者需要公众参与决策的政府信息，包括机构职能、政策文件、行政规范性文件、"
            "规划计划、财政预决算、行政许可、行政处罚和行政强制、人事信息等。"
        ),
        "<h3>（二）公开方式</h3>",
        _p(f"主动公开的政府信息通过{facts.agency_name}政府信息公开专栏发布，专栏设置以下栏目："),
        _layout(facts),
        "<h3>（三）公开时限</h3>",
        _p(
            "属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开"
            "（《条例》第二十六条）。法律、法规对政府信息公开的期限另有规定的，从其规定。"
        ),
        "<h2>二、依申请公开</h2>",
        "<h3>（一）受理机构</h3>",
        _p(f"{office}负责受理向本机关提出的政府信息公开申请。"),
        _ul(contacts),
        ""
        if len(contacts) > 1
        else _p("本机关尚未在平台登记办公地址、电话等联系方式，请通过在线方式提交申请。"),
        "<h3>（二）申请方式</h3>",
        _p("申请人应当以书面形式（包括数据电文形式）提出申请，可以通过以下方式提交："),
        _ul(channel_lines(facts)),
        "<h3>（三）申请内容</h3>",
        _p("依照《条例》第二十九条，政府信息公开申请应当包括下列内容："),
        _ul(
            [
                "申请人的姓名或者名称、身份证明、联系方式；",
                "申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；",
                "申请公开的政府信息的形式要求，包括获取信息的方式、途径。",
            ]
        ),
        _p(
            "申请内容不明确的，本机关自收到申请之日起7个工作日内一次性告知申请人作出补正，"
            "说明需要补正的事项和合理的补正期限；答复期限自收到补正的申请之日起计算"
            "（《条例》第三十条）。"
        ),
        "<h3>（四）收到申请的日期</h3>",
        _ul(
            [
                "当面提交申请的，以提交之日为收到申请之日；",
                "以邮寄方式提交申请的，以本机关签收之日为收到申请之日；以平常信函等无需签收的"
                "邮寄方式提交的，以本机关与申请人确认之日为收到申请之日；",
                "通过互联网渠道或者传真提交申请的，以双方确认之日为收到申请之日"
                "（《条例》第三十一条）。",
            ]
        ),
        "<h3>（五）答复期限</h3>",
        _p(
            "本机关收到政府信息公开申请，能够当场答复的，当场予以答复；不能够当场答复的，"
            "自收到申请之日起20个工作日内予以答复。需要延长答复期限的，经政府信息公开工作"
            "机构负责人同意并告知申请人，延长的期限最长不超过20个工作日。征求第三方和其他"
            "机关意见所需时间不计算在前述期限内（《条例》第三十二条、第三十三条）。"
        ),
        "<h3>（六）收费</h3>",
        _p(
            "本机关依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显"
            "超过合理范围的，可以依照《政府信息公开信息处理费管理办法》"
            f"（{fees.BASIS}）收取信息处理费，按件计收或者按量计收，二者择一："
        ),
        _p("按件计收（同一申请人一个自然月内累计申请的件数）："),
        _ul(item_fee_lines()),
        _p("按量计收（同一申请件的页数）："),
        _ul(page_fee_lines()),
        _p(
            "需要收费的，本机关在答复期限内向申请人发出收费通知，说明收费的依据、标准、数额"
            "和缴纳方式；申请人应当自收到收费通知之次日起20个工作日内缴纳费用，逾期未缴纳"
            "的，视为放弃申请。"
        ),
        "<h2>三、政府信息公开工作年度报告</h2>",
        _p(
            "本机关于每年1月31日前在政府信息公开专栏「政府信息公开年报」栏目公布上一年度的"
            "政府信息公开工作年度报告（《条例》第四十九条）。"
        ),
        "<h2>四、监督和救济</h2>",
        _p(
            "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向"
            "上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议"
            "或者提起行政诉讼（《条例》第五十一条）："
        ),
        _ul(
            [
                "申请行政复议：自知道或者应当知道该行政行为之日起60日内提出"
                "（《中华人民共和国行政复议法》第二十条）；",
                "提起行政诉讼：自知道或者应当知道作出行政行为之日起6个月内提出"
                "（《中华人民共和国行政诉讼法》第四十六条）。",
            ]
        ),
    ]
    return "".join(out)
