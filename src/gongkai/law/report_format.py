"""The two official annual-report formats as data (LAW.md §1).

* ``"2021"`` — 国办公开办函〔2021〕30号, used from the 2021 report on;
* ``"2019"`` — the trial format 国办公开办函〔2019〕60号, used for the 2019 and 2020 reports.

Every row and column has a *canonical key* (the English identifiers of the report JSON) and its
official Chinese label. Parsers match labels through :func:`normalize_label`; renderers print the
official label. Nothing here knows about files or databases.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------
# Label normalisation


_CHAR_FOLD = str.maketrans(
    {
        # curly and corner quotes all become nothing: labels differ only in quoting style
        "“": "",
        "”": "",
        "‘": "",
        "’": "",
        '"': "",
        "'": "",
        "「": "",
        "」": "",
        "『": "",
        "』": "",
        # list punctuation: 1. / 1、 / 1． / 1，/ 1, are the same ordinal
        "、": ".",
        "．": ".",
        "，": ".",
        ",": ".",  # OCR reads 、 as an ASCII comma too (「复议,行政诉讼」)
        "（": "(",
        "）": ")",
        "：": ":",
        "；": ";",
        # traditional characters seen in labels (a small closed list; labels are short)
        "與": "与",
        "開": "开",
        "國": "国",
        "機": "机",
        "關": "关",
        "請": "请",
        "處": "处",
        "數": "数",
        "總": "总",
        "計": "计",
        "轉": "转",
        "結": "结",
        "審": "审",
        "復": "复",
        "議": "议",
        "訴": "诉",
        "訟": "讼",
        "維": "维",
        "糾": "纠",
        "規": "规",
        "範": "范",
        "許": "许",
        "費": "费",
        "組": "组",
        "織": "织",
        "構": "构",
        "務": "务",
        "業": "业",
        "會": "会",
        "證": "证",
        "報": "报",
        "舉": "举",
        "訊": "讯",
        "複": "复",
        "過": "过",
        "內": "内",
        "門": "门",
        "無": "无",
        "補": "补",
        "確": "确",
        "認": "认",
        "現": "现",
        "該": "该",
        "權": "权",
        "擔": "担",
        "類": "类",
        "屬": "属",
        "護": "护",
        "勞": "劳",
        "執": "执",
        "體": "体",
        "產": "产",
        "彙": "汇",
        "單": "单",
        "廢": "废",
        "發": "发",
        "強": "强",
        "製": "制",
        "為": "为",
        "當": "当",
        "項": "项",
        "決": "决",
        "絕": "绝",
        "難": "难",
        "來": "来",
        # the rest of the form's own words and the section headings (總體情況, 主動公開…情況,
        # 行政處罰, 結轉下年度繼續辦理, 未經復議直接起訴, 復議後起訴, 本年收費金額（萬元）…)
        "罰": "罚",
        "況": "况",
        "動": "动",
        "問": "问",
        "題": "题",
        "進": "进",
        "繼": "继",
        "續": "续",
        "辦": "办",
        "訪": "访",
        "獲": "获",
        "繳": "缴",
        "納": "纳",
        "穩": "稳",
        "詢": "询",
        "後": "后",
        "區": "区",
        "這": "这",
        "經": "经",
        "額": "额",
        "萬": "万",
        "資": "资",
        "實": "实",
        "統": "统",
        "應": "应",
        "責": "责",
        "沒": "没",
    }
)

_SPACE_RE = re.compile(r"\s+")
# Characters the translation table changes. Most text holds none of them, and str.translate
# with a dict table costs a lookup per character: one regex search (C speed) decides first.
_FOLD_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _CHAR_FOLD) + "]")


def normalize_label(text: str) -> str:
    """Fold a table label to a comparable form.

    NFKC turns full-width digits, letters and most punctuation into their ASCII forms; the
    translation table folds quotes, list punctuation and common traditional characters; all
    whitespace (extractions break labels inside words: 「社会公益 组织」) is removed.
    """
    folded = unicodedata.normalize("NFKC", text)
    if _FOLD_RE.search(folded):
        folded = folded.translate(_CHAR_FOLD)
    return _SPACE_RE.sub("", folded)


# ---------------------------------------------------------------------------------------------
# Data classes


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    variants: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Row:
    """A row of a table. Group rows (``key is None``-style headings) are kept in ``Group``."""

    key: str
    label: str
    ordinal: str = ""
    group: str | None = None
    leaf: bool = False
    variants: tuple[str, ...] = ()

    @property
    def full_label(self) -> str:
        return f"{self.ordinal}{self.label}"

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Group:
    """A labelled group of rows with no numbers of its own (e.g. （三）不予公开)."""

    key: str
    label: str
    ordinal: str = ""
    variants: tuple[str, ...] = ()

    @property
    def full_label(self) -> str:
        return f"{self.ordinal}{self.label}"


@dataclass(frozen=True)
class Table2Item:
    """One row of table 二: ``item`` is the 条例第二十条 item it falls under."""

    key: str
    label: str
    item: str
    columns: tuple[Column, ...]
    variants: tuple[str, ...] = ()
    decimal: bool = False  # amounts in 万元 may have decimals; counts may not
    signed: tuple[str, ...] = ()  # column keys that may be negative (2019 本年增/减)

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class ReportFormat:
    id: str
    name: str
    basis: str
    table2: tuple[Table2Item, ...]
    table3_columns: tuple[Column, ...]
    table3_rows: tuple[Row, ...]
    table3_groups: tuple[Group, ...]
    table4_blocks: tuple[Column, ...]
    table4_cells: tuple[Column, ...]
    first_year: int
    last_year: int | None
    section_titles: tuple[tuple[str, ...], ...] = field(default=())

    # -- convenience lookups ------------------------------------------------------------------
    @property
    def table3_row_keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.table3_rows)

    @property
    def table3_column_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.table3_columns)

    @property
    def table3_applicant_keys(self) -> tuple[str, ...]:
        """The six applicant columns whose sum is ``total``."""
        return tuple(c.key for c in self.table3_columns if c.key != "total")

    @property
    def table3_leaf_keys(self) -> tuple[str, ...]:
        """The outcome rows whose sum is ``total_processed`` (21 in 2021, 19 in 2019)."""
        return tuple(r.key for r in self.table3_rows if r.leaf)

    @property
    def table4_block_keys(self) -> tuple[str, ...]:
        return tuple(b.key for b in self.table4_blocks)

    @property
    def table4_cell_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.table4_cells)

    def table3_row(self, key: str) -> Row:
        for row in self.table3_rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def table2_item(self, key: str) -> Table2Item:
        for item in self.table2:
            if item.key == key:
                return item
        raise KeyError(key)

    def empty_tables(self) -> dict[str, dict[str, dict[str, None]]]:
        """Tables 二/三/四 with every cell present and blank (``None``)."""
        return {
            "table2": {i.key: {c.key: None for c in i.columns} for i in self.table2},
            "table3": {r.key: dict.fromkeys(self.table3_column_keys) for r in self.table3_rows},
            "table4": {b.key: dict.fromkeys(self.table4_cell_keys) for b in self.table4_blocks},
        }


# ---------------------------------------------------------------------------------------------
# Shared parts


SECTION_TITLES: tuple[tuple[str, ...], ...] = (
    ("总体情况",),
    ("主动公开政府信息情况", "行政机关主动公开政府信息情况"),
    (
        "收到和处理政府信息公开申请情况",
        "行政机关收到和处理政府信息公开申请情况",
        "收到和处理政府信息公开申请的情况",
    ),
    (
        "政府信息公开行政复议、行政诉讼情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼的情况",
        "政府信息公开行政复议、行政诉讼的情况",
    ),
    (
        "存在的主要问题及改进情况",
        "政府信息公开工作存在的主要问题及改进情况",
        "存在问题及改进情况",
        "存在的主要问题和改进情况",
    ),
    ("其他需要报告的事项",),
)
"""The six sections (条例第五十条) with the heading variants seen in published reports."""

SECTION_KEYS: tuple[str, ...] = (
    "overview",
    "proactive",
    "applications",
    "appeals",
    "problems",
    "other",
)

TABLE3_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social_welfare", "社会公益组织"),
    Column("legal_services", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计", ("合计",)),
)

TABLE4_BLOCKS: tuple[Column, ...] = (
    Column("reconsideration", "行政复议"),
    Column("litigation_direct", "未经复议直接起诉", ("行政诉讼未经复议直接起诉",)),
    Column("litigation_after_reconsideration", "复议后起诉", ("行政诉讼复议后起诉",)),
)

TABLE4_CELLS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计", ("合计",)),
)


def _table3(with_other_subrows: bool) -> tuple[tuple[Row, ...], tuple[Group, ...]]:
    rows: list[Row] = [
        Row("new_received", "本年新收政府信息公开申请数量", "一、"),
        Row("carried_over", "上年结转政府信息公开申请数量", "二、"),
        Row("granted", "予以公开", "（一）", "outcome", leaf=True),
        Row(
            "partially_granted",
            "部分公开（区分处理的，只计这一情形，不计其他情形）",
            "（二）",
            "outcome",
            leaf=True,
            variants=("部分公开",),
        ),
        Row("denied_state_secret", "属于国家秘密", "1.", "denied", leaf=True),
        Row("denied_prohibited_by_law", "其他法律行政法规禁止公开", "2.", "denied", leaf=True),
        Row(
            "denied_three_safeties",
            "危及“三安全一稳定”",
            "3.",
            "denied",
            leaf=True,
            variants=("危及三安全一稳定",),
        ),
        Row("denied_third_party_rights", "保护第三方合法权益", "4.", "denied", leaf=True),
        Row("denied_internal_affairs", "属于三类内部事务信息", "5.", "denied", leaf=True),
        Row("denied_process_information", "属于四类过程性信息", "6.", "denied", leaf=True),
        Row("denied_enforcement_files", "属于行政执法案卷", "7.", "denied", leaf=True),
        Row("denied_administrative_query", "属于行政查询事项", "8.", "denied", leaf=True),
        Row("unable_not_held", "本机关不掌握相关政府信息", "1.", "unable", leaf=True),
        Row("unable_requires_creation", "没有现成信息需要另行制作", "2.", "unable", leaf=True),
        Row("unable_still_unclear", "补正后申请内容仍不明确", "3.", "unable", leaf=True),
        Row(
            "not_processed_petition_complaint",
            "信访举报投诉类申请",
            "1.",
            "not_processed",
            leaf=True,
        ),
        Row("not_processed_repeated", "重复申请", "2.", "not_processed", leaf=True),
        Row("not_processed_publication", "要求提供公开出版物", "3.", "not_processed", leaf=True),
        Row("not_processed_excessive", "无正当理由大量反复申请", "4.", "not_processed", leaf=True),
        Row(
            "not_processed_confirmation",
            "要求行政机关确认或重新出具已获取信息",
            "5.",
            "not_processed",
            leaf=True,
        ),
    ]
    if with_other_subrows:
        rows += [
            Row(
                "other_no_correction",
                "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "1.",
                "other",
                leaf=True,
            ),
            Row(
                "other_unpaid_fee",
                "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "2.",
                "other",
                leaf=True,
            ),
            Row("other_other", "其他", "3.", "other", leaf=True),
        ]
    else:
        # 60号 prints （六）其他处理 as one row with numbers; it maps to other_other.
        rows.append(Row("other_other", "其他处理", "（六）", "outcome", leaf=True))
    rows += [
        Row("total_processed", "总计", "（七）", "outcome"),
        Row("carried_forward", "结转下年度继续办理", "四、"),
    ]
    groups = (
        Group("outcome", "本年度办理结果", "三、"),
        Group("denied", "不予公开", "（三）"),
        Group("unable", "无法提供", "（四）"),
        Group("not_processed", "不予处理", "（五）"),
        Group("other", "其他处理", "（六）"),
    )
    return tuple(rows), groups if with_other_subrows else groups[:4]


_ITEM_1 = "第二十条第（一）项"
_ITEM_5 = "第二十条第（五）项"
_ITEM_6 = "第二十条第（六）项"
_ITEM_8 = "第二十条第（八）项"
_ITEM_9 = "第二十条第（九）项"

_T2_2021_DOCS = (
    Column("issued", "本年制发件数", ("本年新制发件数",)),
    Column("repealed", "本年废止件数"),
    Column("in_force", "现行有效件数"),
)
_T2_2021_DECISIONS = (Column("decisions", "本年处理决定数量"),)

TABLE2_2021: tuple[Table2Item, ...] = (
    Table2Item("regulations", "规章", _ITEM_1, _T2_2021_DOCS),
    Table2Item("normative_documents", "行政规范性文件", _ITEM_1, _T2_2021_DOCS, ("规范性文件",)),
    Table2Item("licensing", "行政许可", _ITEM_5, _T2_2021_DECISIONS),
    Table2Item("penalty", "行政处罚", _ITEM_6, _T2_2021_DECISIONS),
    Table2Item("coercion", "行政强制", _ITEM_6, _T2_2021_DECISIONS),
    Table2Item(
        "fees",
        "行政事业性收费",
        _ITEM_8,
        (Column("amount_wan_yuan", "本年收费金额（单位：万元）", ("本年收费金额",)),),
        decimal=True,
    ),
)

_T2_2019_DOCS = (
    Column("made", "本年新制作数量"),
    Column("published", "本年新公开数量"),
    Column("total_published", "对外公开总数量"),
)
_T2_2019_ITEMS = (
    Column("previous_items", "上一年项目数量"),
    Column("change", "本年增/减", ("本年增减",)),
    Column("decisions", "处理决定数量"),
)

TABLE2_2019: tuple[Table2Item, ...] = (
    Table2Item("regulations", "规章", _ITEM_1, _T2_2019_DOCS),
    Table2Item("normative_documents", "规范性文件", _ITEM_1, _T2_2019_DOCS, ("行政规范性文件",)),
    Table2Item("licensing", "行政许可", _ITEM_5, _T2_2019_ITEMS, signed=("change",)),
    Table2Item(
        "other_services", "其他对外管理服务事项", _ITEM_5, _T2_2019_ITEMS, signed=("change",)
    ),
    Table2Item("penalty", "行政处罚", _ITEM_6, _T2_2019_ITEMS, signed=("change",)),
    Table2Item("coercion", "行政强制", _ITEM_6, _T2_2019_ITEMS, signed=("change",)),
    Table2Item(
        "fees",
        "行政事业性收费",
        _ITEM_8,
        _T2_2019_ITEMS[:2],
        signed=("change",),
    ),
    Table2Item(
        "procurement",
        "政府集中采购",
        _ITEM_9,
        (
            Column("items", "采购项目数量"),
            Column("amount_wan_yuan", "采购总金额", ("采购总金额（单位：万元）",)),
        ),
        decimal=True,
    ),
)

_ROWS_2021, _GROUPS_2021 = _table3(with_other_subrows=True)
_ROWS_2019, _GROUPS_2019 = _table3(with_other_subrows=False)

FORMAT_2021 = ReportFormat(
    id="2021",
    name="2021年版格式",
    basis="国办公开办函〔2021〕30号",
    table2=TABLE2_2021,
    table3_columns=TABLE3_COLUMNS,
    table3_rows=_ROWS_2021,
    table3_groups=_GROUPS_2021,
    table4_blocks=TABLE4_BLOCKS,
    table4_cells=TABLE4_CELLS,
    first_year=2021,
    last_year=None,
    section_titles=SECTION_TITLES,
)

FORMAT_2019 = ReportFormat(
    id="2019",
    name="2019年版试行格式",
    basis="国办公开办函〔2019〕60号",
    table2=TABLE2_2019,
    table3_columns=TABLE3_COLUMNS,
    table3_rows=_ROWS_2019,
    table3_groups=_GROUPS_2019,
    table4_blocks=TABLE4_BLOCKS,
    table4_cells=TABLE4_CELLS,
    first_year=2019,
    last_year=2020,
    section_titles=SECTION_TITLES,
)

FORMATS: dict[str, ReportFormat] = {"2021": FORMAT_2021, "2019": FORMAT_2019}


class UnknownReportYearError(ValueError):
    """No official format exists for this report year (before the 2019 revision)."""


def format_for_year(year: int) -> ReportFormat:
    """The format a report for ``year`` must use (rule F1)."""
    if year >= FORMAT_2021.first_year:
        return FORMAT_2021
    if year >= FORMAT_2019.first_year:
        return FORMAT_2019
    raise UnknownReportYearError(
        f"{year}年度报告早于2019年修订条例，无法定表格格式（2019年起适用60号试行格式）"
    )
