"""The default 政府信息公开专栏 tree, update requirements and the standard subject list.

Update requirements follow 国办秘函〔2019〕19号: 动态/要闻 columns must not sit idle for 2 weeks,
first-level 通知公告/政策文件 columns for 6 months; single pages and annual reports have none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NEWS_DAYS = 14
FIRST_LEVEL_DAYS = 182  # "6 months" counted as 26 weeks, never more lenient than the rule


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str
    update_days: int | None = None
    children: tuple[ColumnSpec, ...] = field(default=())


def _leaf(name: str, kind: str = "notice", days: int | None = None) -> ColumnSpec:
    return ColumnSpec(name, kind, days)


# The 专栏's fixed entries (国办公开办函〔2019〕61号), found by name among the root columns.
GUIDE_COLUMN = "政府信息公开指南"
RULES_COLUMN = "政府信息公开制度"
STATUTORY_GROUP = "法定主动公开内容"

DEFAULT_TREE: tuple[ColumnSpec, ...] = (
    _leaf(GUIDE_COLUMN, "single_page"),
    _leaf(RULES_COLUMN, "single_page"),
    ColumnSpec(
        STATUTORY_GROUP,
        "group",
        None,
        (
            _leaf("机构职能", "single_page"),
            _leaf("政策文件", "policy", FIRST_LEVEL_DAYS),
            _leaf("行政规范性文件", "policy"),
            _leaf("政策解读", "policy"),
            _leaf("规划计划", "policy"),
            _leaf("财政预决算", "notice"),
            _leaf("行政许可", "notice"),
            _leaf("行政处罚和行政强制", "notice"),
            _leaf("人事信息", "notice"),
        ),
    ),
    _leaf("政府信息公开年报", "annual_report"),
    _leaf("工作动态", "news", NEWS_DAYS),
    _leaf("通知公告", "notice", FIRST_LEVEL_DAYS),
)

# 主题分类 as used by the national government portal's document catalogue.
SUBJECTS: tuple[str, ...] = (
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
)

DEFAULT_INDEX_FORMAT = "{org}/{year}-{serial:05d}"
