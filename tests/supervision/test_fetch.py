"""Fetching a published report: http/https only, no private or loopback addresses unless the
setting allows (the tests' local server needs it), size limit, timeout, redirects re-checked."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gongkai.supervision import services
from gongkai.supervision.errors import SupervisionError
from gongkai.supervision.fetch import FetchError, FetchLimits, fetch
from gongkai.supervision.models import Batch, FileStatus, ReportFile
from gongkai.supervision.samples import build_report, report_html

REPORT = report_html(build_report("示范市信访局", 2023, flaw="s1"))


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/report.html":
            self._send(REPORT)
        elif self.path == "/big":
            self._send(b"x" * 300_000)
        elif self.path == "/chunked-big":
            self.send_response(200)
            self.end_headers()  # no Content-Length: the size is only known by reading
            for _ in range(40):
                self.wfile.write(b"y" * 10_000)
        elif self.path == "/slow":
            time.sleep(3)
            self._send(b"late")
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/report.html")
            self.end_headers()
        elif self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


LOCAL = FetchLimits(max_bytes=200_000, timeout_s=1.0, allow_private=True)


def test_fetches_a_report_from_the_local_server(server):
    fetched = fetch(f"{server}/report.html", LOCAL)
    assert fetched.data == REPORT
    assert fetched.name == "127.0.0.1/report.html"


def test_private_and_loopback_addresses_are_refused_by_default(server):
    with pytest.raises(FetchError, match="内网或本机"):
        fetch(f"{server}/report.html", FetchLimits())
    with pytest.raises(FetchError, match="内网或本机"):
        fetch("http://10.1.2.3/report.html", FetchLimits())
    with pytest.raises(FetchError, match="内网或本机"):
        fetch("http://[::1]/report.html", FetchLimits())


def test_redirects_are_followed_and_rechecked(server):
    assert fetch(f"{server}/redirect", LOCAL).data == REPORT
    # each hop is checked again: a redirect to the cloud metadata address (link-local) is
    # refused even where private addresses are allowed
    with pytest.raises(FetchError, match="链路本地"):
        fetch(f"{server}/to-metadata", LOCAL)


def test_oversize_is_refused_by_length_and_while_reading(server):
    with pytest.raises(FetchError, match="上限"):
        fetch(f"{server}/big", LOCAL)
    with pytest.raises(FetchError, match="上限"):
        fetch(f"{server}/chunked-big", LOCAL)


def test_timeout_stops_the_download(server):
    started = time.monotonic()
    with pytest.raises(FetchError, match="秒"):
        fetch(f"{server}/slow", LOCAL)
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize(
    "url", ["ftp://example.gov.cn/a.pdf", "file:///etc/passwd", "javascript:alert(1)", "http://"]
)
def test_other_schemes_are_refused(url):
    with pytest.raises(FetchError):
        fetch(url, LOCAL)


@pytest.mark.django_db
def test_fetch_job_receives_and_audits(
    server, settings, supervisor, city, petition_bureau, django_capture_on_commit_callbacks
):
    settings.SUPERVISION_FETCH_ALLOW_PRIVATE = True
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.request_fetch(actor=supervisor, region=city, url=f"{server}/report.html")
    report_file = ReportFile.objects.get(batch=batch)
    assert report_file.status == FileStatus.AUDITED
    assert report_file.agency == petition_bureau
    assert report_file.source_url == f"{server}/report.html"


@pytest.mark.django_db
def test_refused_fetch_is_kept_on_the_batch(
    server, supervisor, city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.request_fetch(actor=supervisor, region=city, url=f"{server}/report.html")
    batch = Batch.objects.get(pk=batch.pk)
    assert "内网或本机" in batch.error
    assert not batch.files.exists()


@pytest.mark.django_db
def test_bad_address_is_refused_at_once(supervisor, city):
    with pytest.raises(SupervisionError):
        services.request_fetch(actor=supervisor, region=city, url="file:///etc/passwd")
    assert not Batch.objects.exists()
