"""WeChat official account (微信公众号): article export and the draft-and-publish API adapter.

The export is HTML that survives the WeChat editor: inline styles only, no scripts, no classes,
images listed separately (the editor re-uploads them). The adapter talks to the official API
(``/cgi-bin/token``, ``/cgi-bin/draft/add``, ``/cgi-bin/freepublish/submit``) at
``settings.GONGKAI_WECHAT_API_BASE`` with credentials from the environment; tests point it at a
local fake server. Nothing here runs unless an agency asks for it.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

import nh3
from django.conf import settings
from django.utils.html import escape

from gongkai.disclosure.errors import DisclosureError

STYLES = {
    "p": "margin:0 0 1em;line-height:1.75;font-size:16px;color:#333;text-indent:2em;",
    "h2": "margin:1.2em 0 .6em;font-size:18px;font-weight:bold;color:#1f3b73;",
    "h3": "margin:1em 0 .5em;font-size:17px;font-weight:bold;color:#1f3b73;",
    "h4": "margin:1em 0 .5em;font-size:16px;font-weight:bold;",
    "ul": "margin:0 0 1em 1.5em;padding:0;",
    "ol": "margin:0 0 1em 1.5em;padding:0;",
    "li": "margin:0 0 .4em;line-height:1.75;font-size:16px;",
    "blockquote": "margin:0 0 1em;padding:.5em 1em;border-left:3px solid #c8d0dc;color:#555;",
    "table": "border-collapse:collapse;width:100%;margin:0 0 1em;",
    "td": "border:1px solid #ccc;padding:4px 6px;font-size:14px;",
    "th": "border:1px solid #ccc;padding:4px 6px;font-size:14px;background:#f2f2f2;",
    "img": "max-width:100%;height:auto;",
}
_TAGS = {
    *STYLES,
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "sub",
    "sup",
    "a",
    "thead",
    "tbody",
    "tr",
    "hr",
}
_OPEN_TAG = re.compile(r"<(" + "|".join(sorted(STYLES, key=len, reverse=True)) + r")(\s[^>]*)?>")
_IMG_SRC = re.compile(r'<img[^>]*\ssrc="([^"]+)"')
TIMEOUT_S = 10


class WeChatError(DisclosureError):
    message = "微信公众号接口调用失败。"


@dataclass(frozen=True)
class Article:
    title: str
    author: str
    digest: str
    content: str
    images: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "author": self.author,
            "digest": self.digest,
            "content": self.content,
            "images": self.images,
        }


def export_article(item: Any) -> Article:
    """The published revision as a WeChat article (refuses items that are not public)."""
    revision = item.published_revision
    if revision is None or not item.is_public:
        raise DisclosureError("只有已发布的信息可以导出到微信公众号。")
    clean = nh3.clean(
        revision.body,
        tags=_TAGS,
        attributes={"a": {"href"}, "img": {"src", "alt"}, "td": {"colspan", "rowspan"}},
        url_schemes={"http", "https"},
    )
    styled = _OPEN_TAG.sub(
        lambda m: f'<{m.group(1)}{m.group(2) or ""} style="{STYLES[m.group(1)]}">', clean
    )
    footer = (
        f'<p style="{STYLES["p"]}text-indent:0;font-size:13px;color:#888;">'
        f"索引号：{escape(item.index_number)}　"
        f"发布机构：{escape(item.issuing_body)}</p>"
    )
    from gongkai.disclosure.sanitize import html_to_text  # noqa: PLC0415

    return Article(
        title=revision.title[:64],
        author=item.agency.display_name[:16],
        digest=html_to_text(revision.body)[:120],
        content=styled + footer,
        images=_IMG_SRC.findall(clean),
    )


class WeChatClient:
    def __init__(self, *, base_url: str, appid: str, secret: str) -> None:
        if not appid or not secret:
            raise WeChatError(
                "未配置微信公众号 AppID/AppSecret（GONGKAI_WECHAT_APPID / GONGKAI_WECHAT_SECRET）。"
            )
        self.base_url = base_url.rstrip("/")
        self.appid = appid
        self.secret = secret
        self._token: str | None = None

    @classmethod
    def from_settings(cls) -> WeChatClient:
        return cls(
            base_url=settings.GONGKAI_WECHAT_API_BASE,
            appid=settings.GONGKAI_WECHAT_APPID,
            secret=settings.GONGKAI_WECHAT_SECRET,
        )

    def _call(self, path: str, *, query: dict[str, str], body: Any = None) -> dict[str, Any]:
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(query)}"
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310  (https or the tests' local server)
            url, data=data, headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
                payload = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise WeChatError(f"微信公众号接口无法访问：{exc}") from exc
        if payload.get("errcode"):
            raise WeChatError(
                f"微信公众号接口返回错误 {payload['errcode']}：{payload.get('errmsg', '')}"
            )
        return payload

    def token(self) -> str:
        if self._token is None:
            payload = self._call(
                "/cgi-bin/token",
                query={
                    "grant_type": "client_credential",
                    "appid": self.appid,
                    "secret": self.secret,
                },
            )
            self._token = str(payload["access_token"])
        return self._token

    def add_draft(self, article: Article, *, thumb_media_id: str = "") -> str:
        payload = self._call(
            "/cgi-bin/draft/add",
            query={"access_token": self.token()},
            body={
                "articles": [
                    {
                        "title": article.title,
                        "author": article.author,
                        "digest": article.digest,
                        "content": article.content,
                        "thumb_media_id": thumb_media_id,
                    }
                ]
            },
        )
        return str(payload["media_id"])

    def publish(self, media_id: str) -> str:
        payload = self._call(
            "/cgi-bin/freepublish/submit",
            query={"access_token": self.token()},
            body={"media_id": media_id},
        )
        return str(payload["publish_id"])
