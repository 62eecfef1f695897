"""Channels: the column's Atom feed, the WeChat article export and the API adapter against a
local fake server started by the test (never the real service)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from gongkai.disclosure import services, wechat
from gongkai.disclosure.errors import DisclosureError
from gongkai.disclosure.models import ChannelState

pytestmark = pytest.mark.django_db


class FakeWeChat(BaseHTTPRequestHandler):
    calls: ClassVar[list[tuple[str, dict, object]]] = []
    fail_publish = False

    def log_message(self, *args):  # keep test output quiet
        pass

    def _reply(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        FakeWeChat.calls.append((url.path, query, None))
        if url.path == "/cgi-bin/token" and query.get("secret") == ["s3cret"]:
            self._reply({"access_token": "TOKEN", "expires_in": 7200})
        else:
            self._reply({"errcode": 40001, "errmsg": "invalid credential"})

    def do_POST(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeWeChat.calls.append((url.path, query, body))
        if query.get("access_token") != ["TOKEN"]:
            self._reply({"errcode": 40014, "errmsg": "invalid access_token"})
        elif url.path == "/cgi-bin/draft/add":
            self._reply({"media_id": "MEDIA1"})
        elif url.path == "/cgi-bin/freepublish/submit" and not FakeWeChat.fail_publish:
            self._reply({"errcode": 0, "publish_id": "PUB1"})
        else:
            self._reply({"errcode": 48001, "errmsg": "api unauthorized"})


@pytest.fixture
def fake_wechat():
    FakeWeChat.calls = []
    FakeWeChat.fail_publish = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeWeChat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def published(make_item, review_all, drafter):
    item = make_item(
        body=(
            "<p>第一段<script>alert(1)</script></p><h3>二、要点</h3>"
            '<p><img src="https://example.org/a.png" alt="图"></p>'
        )
    )
    return services.publish_item(review_all(item), actor=drafter)


def test_article_export_has_inline_styles_no_scripts_and_lists_images(published, drafter):
    article = services.export_wechat(published, actor=drafter)
    assert "<script" not in article.content
    assert "class=" not in article.content
    assert '<p style="' in article.content
    assert '<h3 style="' in article.content
    assert article.images == ["https://example.org/a.png"]
    assert published.index_number in article.content
    state = ChannelState.objects.get(item=published)
    assert (state.channel, state.status) == ("wechat", "exported")


def test_only_published_items_are_exported(make_item, drafter):
    with pytest.raises(DisclosureError, match="只有已发布"):
        services.export_wechat(make_item(), actor=drafter)


def test_publish_through_the_api_records_remote_ids(published, drafter, fake_wechat):
    client = wechat.WeChatClient(base_url=fake_wechat, appid="wx1", secret="s3cret")
    state = services.publish_wechat(published, actor=drafter, client=client)
    assert (state.status, state.remote_id) == ("published", "MEDIA1/PUB1")
    assert state.revision == published.published_revision
    paths = [path for path, _, _ in FakeWeChat.calls]
    assert paths == ["/cgi-bin/token", "/cgi-bin/draft/add", "/cgi-bin/freepublish/submit"]
    draft = FakeWeChat.calls[1][2]["articles"][0]
    assert draft["title"] == published.title
    assert "<script" not in draft["content"]


def test_api_errors_are_recorded_and_shown_in_chinese(published, drafter, fake_wechat):
    FakeWeChat.fail_publish = True
    client = wechat.WeChatClient(base_url=fake_wechat, appid="wx1", secret="s3cret")
    with pytest.raises(wechat.WeChatError, match="48001"):
        services.publish_wechat(published, actor=drafter, client=client)
    state = ChannelState.objects.get(item=published)
    assert state.status == "failed"
    assert "48001" in state.message
    bad = wechat.WeChatClient(base_url=fake_wechat, appid="wx1", secret="wrong")
    with pytest.raises(wechat.WeChatError, match="40001"):
        bad.token()


def test_unreachable_api_is_an_error_not_a_crash(published, drafter):
    client = wechat.WeChatClient(base_url="http://127.0.0.1:9", appid="wx1", secret="s3cret")
    with pytest.raises(wechat.WeChatError, match="无法访问"):
        services.publish_wechat(published, actor=drafter, client=client)


def test_client_uses_settings(settings, fake_wechat, published, drafter):
    settings.GONGKAI_WECHAT_API_BASE = fake_wechat
    settings.GONGKAI_WECHAT_APPID = "wx1"
    settings.GONGKAI_WECHAT_SECRET = "s3cret"
    assert services.publish_wechat(published, actor=drafter).status == "published"


def test_atom_feed_lists_only_published_revisions(client, published, make_item, drafter):
    make_item(title="未发布的草稿")
    services.update_item(published, actor=drafter, title="修改中的新标题")
    response = client.get(reverse("workspace:disclosure_column_feed", args=[published.column_id]))
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert "关于《示范市信访工作规定》的解读" in text  # the public keeps the approved title
    assert "修改中的新标题" not in text
    assert "未发布的草稿" not in text
    assert published.index_number in text
    # each entry links to the item's public page on the portal, which answers
    item_url = reverse("portal:item", args=[published.agency_id, published.pk])
    assert f'href="http://testserver{item_url}"' in text
    assert client.get(item_url).status_code == 200
