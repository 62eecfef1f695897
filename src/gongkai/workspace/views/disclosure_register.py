"""表二登记: the year's table 二 from the records, figures entered by hand or from CSV."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.access import can_write
from gongkai.disclosure import register
from gongkai.disclosure.errors import DisclosureError
from gongkai.disclosure.models import RegisterYear
from gongkai.security.methods import allow
from gongkai.workspace.agency_context import current_agency
from gongkai.workspace.views.common import render_page

MAX_CSV_BYTES = 200_000


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2008, max_value=2100)


class FiguresForm(forms.Form):
    licensing_decisions = forms.IntegerField(
        label="行政许可处理决定数", required=False, min_value=0
    )
    penalty_decisions = forms.IntegerField(label="行政处罚处理决定数", required=False, min_value=0)
    coercion_decisions = forms.IntegerField(label="行政强制处理决定数", required=False, min_value=0)
    fees_wan_yuan = forms.DecimalField(
        label="行政事业性收费（万元）", required=False, min_value=0, decimal_places=4, max_digits=14
    )


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET or request.POST or None)
    return form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year - 1


@allow("GET", "POST")
@login_required
def register_page(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if agency is None:
        raise Http404("您没有可以管理的机关。")
    year = _year(request)
    back = f"{reverse('workspace:disclosure_register')}?year={year}"
    row = RegisterYear.objects.filter(agency=agency, year=year).first()
    initial = {f: getattr(row, f) for f in register.ENTERED_FIELDS} if row else {}
    form = FiguresForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_write(request.user, agency):
            raise Http404("没有找到该页面。")
        try:
            if "csv" in request.FILES:
                upload = request.FILES["csv"]
                if upload.size > MAX_CSV_BYTES:
                    raise register.RegisterError("CSV 文件过大。")
                text = upload.read().decode("utf-8-sig", errors="strict")
                count = register.import_csv(agency, actor=request.user, text=text)
                messages.success(request, f"已导入 {count} 个年度的表二数据。")
                return redirect(back)
            if form.is_valid():
                register.set_register_year(
                    agency, actor=request.user, year=year, **form.cleaned_data
                )
                messages.success(request, f"{year} 年表二数据已保存。")
                return redirect(back)
        except UnicodeDecodeError:
            messages.error(request, "CSV 文件应为 UTF-8 编码。")
            return redirect(back)
        except DisclosureError as error:
            messages.error(request, error.message)
            return redirect(back)
    return render_page(
        request,
        "workspace/disclosure/register.html",
        {
            "agency": agency,
            "year": year,
            "form": form,
            "table": register.table2([agency], year),
        },
        nav="disclosure",
    )
