"""Channels of a published item: the column's Atom feed and the WeChat official account."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import content_disposition_header

from gongkai.agencies.access import can_write
from gongkai.disclosure import access, services
from gongkai.disclosure.errors import DisclosureError
from gongkai.disclosure.models import Column, Item
from gongkai.disclosure.sanitize import html_to_text
from gongkai.disclosure.states import ItemStatus
from gongkai.security.methods import allow

FEED_ITEMS = 30


class ColumnFeed(Feed):
    """Public Atom feed of a column: only published revisions, never drafts or withdrawn items."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, pk: int) -> Column:
        return get_object_or_404(Column.objects.select_related("agency"), pk=pk, active=True)

    def title(self, obj: Column) -> str:
        return f"{obj.agency.name} · {obj.name}"

    def link(self, obj: Column) -> str:
        return reverse("portal:column", args=[obj.agency_id, obj.pk])

    def subtitle(self, obj: Column) -> str:
        return obj.no_content_statement or f"{obj.agency.name}政府信息公开专栏"

    def items(self, obj: Column) -> Any:
        return (
            Item.objects.filter(column=obj, published_revision__isnull=False)
            .exclude(status=ItemStatus.WITHDRAWN)
            .select_related("published_revision", "agency")
            .order_by("-published_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item: Item) -> str:
        return item.published_revision.title

    def item_description(self, item: Item) -> str:
        return html_to_text(item.published_revision.body)[:500]

    def item_link(self, item: Item) -> str:
        return reverse("portal:item", args=[item.agency_id, item.pk])

    def item_guid(self, item: Item) -> str:
        return f"tag:gongkai,{item.agency_id}:{item.index_number}"

    def item_pubdate(self, item: Item) -> Any:
        return item.first_published_at

    def item_updateddate(self, item: Item) -> Any:
        return item.published_at


column_feed = allow("GET")(ColumnFeed())


def _publisher_item(request: HttpRequest, pk: int) -> Item:
    item = access.get_item_for_user(request.user, pk)
    if not can_write(request.user, item.agency):
        raise Http404("没有找到该信息。")
    return item


@allow("GET")
@login_required
def wechat_export(request: HttpRequest, pk: int) -> HttpResponse:
    item = _publisher_item(request, pk)
    try:
        article = services.export_wechat(item, actor=request.user)
    except DisclosureError as error:
        messages.error(request, error.message)
        return redirect(item.get_absolute_url())
    images = "".join(f"<li>{escape(src)}</li>" for src in article.images) or "<li>（无图片）</li>"
    title = escape(article.title)
    page = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body>"
        f"<h1>{title}</h1>{article.content}<hr><p>需在公众号编辑器中重新上传的图片：</p>"
        f"<ul>{images}</ul></body></html>"
    )
    response = HttpResponse(page, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"微信文章-{item.pk}.html"
    )
    return response


@allow("POST")
@login_required
def wechat_publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _publisher_item(request, pk)
    try:
        services.publish_wechat(item, actor=request.user)
    except DisclosureError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "已提交微信公众号发布。")
    return redirect(item.get_absolute_url())
