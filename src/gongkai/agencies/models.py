"""Regions, agencies, their sections, users and who may do what where.

A region's descendants are found with its materialised ``path`` (``00000001/00000004/``), so
"every agency below this region" is one indexed prefix query instead of recursion.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from gongkai.agencies.validators import normalize_code, validate_credit_code, validate_org_code

PATH_SEGMENT_WIDTH = 8


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇级"
    OTHER = "other", "其他"


class Region(models.Model):
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=RegionLevel, default=RegionLevel.OTHER)
    division_code = models.CharField("行政区划代码", max_length=12, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Assigned once after insert; the parent is fixed so paths never need rewriting.
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = "行政区域"
        verbose_name_plural = "行政区域"
        ordering = ("path",)
        constraints = (
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent"),
        )

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and self.path:
            stored_parent = Region.objects.filter(pk=self.pk).values_list("parent_id", flat=True)
            if stored_parent and stored_parent[0] != self.parent_id:
                raise ValueError("区域的上级不可更改（路径已用于权限范围）。")
        super().save(*args, **kwargs)
        if not self.path:
            prefix = self.parent.path if self.parent_id else ""
            self.path = f"{prefix}{self.pk:0{PATH_SEGMENT_WIDTH}d}/"
            Region.objects.filter(pk=self.pk).update(path=self.path)

    @property
    def depth(self) -> int:
        return self.path.count("/")

    def descendants(self, *, include_self: bool = True) -> models.QuerySet[Region]:
        qs = Region.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def ancestors(self) -> models.QuerySet[Region]:
        """Every region on the path from the root down to (and including) this one."""
        width = PATH_SEGMENT_WIDTH + 1
        pks = [int(self.path[i : i + PATH_SEGMENT_WIDTH]) for i in range(0, len(self.path), width)]
        return Region.objects.filter(pk__in=pks).order_by("path")


class Agency(models.Model):
    region = models.ForeignKey(
        Region, verbose_name="所属区域", on_delete=models.PROTECT, related_name="agencies"
    )
    name = models.CharField("机关名称", max_length=200)
    short_name = models.CharField("简称", max_length=60, blank=True)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code]
    )
    org_code = models.CharField(
        "组织机构代码",
        max_length=9,
        blank=True,
        validators=[validate_org_code],
        help_text="用于索引号；留空时取统一社会信用代码第 9–17 位。",
    )
    office_name = models.CharField("政府信息公开工作机构", max_length=200, blank=True)
    office_address = models.CharField("办公地址", max_length=300, blank=True)
    office_postcode = models.CharField("邮政编码", max_length=6, blank=True)
    office_phone = models.CharField("咨询电话", max_length=60, blank=True)
    office_fax = models.CharField("传真", max_length=60, blank=True)
    office_email = models.EmailField("电子邮箱", blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    website = models.URLField("网站", blank=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "行政机关"
        verbose_name_plural = "行政机关"
        ordering = (
            "region__path",
            "name",
        )
        constraints = (
            models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name_in_region"),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="agency_unique_credit_code",
            ),
        )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.credit_code = normalize_code(self.credit_code)
        self.org_code = normalize_code(self.org_code)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def index_org_code(self) -> str:
        """The organisation code used in 索引号, or "" when the agency has neither code."""
        if self.org_code:
            return self.org_code
        return self.credit_code[8:17] if self.credit_code else ""


class Section(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name="所属机关", on_delete=models.PROTECT, related_name="sections"
    )
    name = models.CharField("科室名称", max_length=100)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = "科室"
        ordering = (
            "agency",
            "name",
        )
        constraints = (
            models.UniqueConstraint(fields=["agency", "name"], name="section_unique_name"),
        )

    def __str__(self) -> str:
        return f"{self.agency.display_name}·{self.name}"


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=60, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How people and the event log name this user: 姓名（用户名）."""
        return f"{self.display_name}（{self.username}）" if self.display_name else self.username


class Role(models.TextChoices):
    DRAFTER = "drafter", "起草"
    REVIEWER = "reviewer", "科室审核"
    SIGNER = "signer", "领导签发"
    CONFIDENTIALITY = "confidentiality", "保密审查"
    HANDLER = "handler", "依申请办理"
    AGENCY_ADMIN = "agency_admin", "单位管理员"


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.PROTECT, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=32, choices=Role)
    section = models.ForeignKey(
        Section,
        verbose_name="科室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "岗位角色"
        verbose_name_plural = "岗位角色"
        ordering = (
            "agency",
            "user",
            "role",
        )
        constraints = (
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_user_agency_role"
            ),
        )
        indexes = (models.Index(fields=["user", "active"], name="membership_user_active"),)

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency.display_name}：{self.get_role_display()}"


class SupervisorGrant(models.Model):
    """Read-only oversight of every agency in a region and all regions below it."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.PROTECT, related_name="supervisor_grants"
    )
    region = models.ForeignKey(
        Region, verbose_name="监督区域", on_delete=models.PROTECT, related_name="supervisor_grants"
    )
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "监督授权"
        verbose_name_plural = "监督授权"
        constraints = (
            models.UniqueConstraint(fields=["user", "region"], name="supervisor_unique_region"),
        )

    def __str__(self) -> str:
        return f"{self.user} 监督 {self.region}"
