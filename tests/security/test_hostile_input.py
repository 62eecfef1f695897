"""The probe as a test: hostile values into every form field and query parameter, never a 5xx.

Walks the workspace and calendar URL patterns as a drafter and as a reviewer, reads every form
each page renders (its action and field names, as a browser would), then posts each hostile value
into each field, the field many times and not at all, and the whole form in UTF-16; every page is
also asked with hostile query parameters. The admin's change lists get search, ordering and
paging values. Runs on SQLite and, in the PostgreSQL run, against PostgreSQL (which refuses NUL
bytes: the classic 500). The machine is small, so the values are few and each chosen for a
failure it once caused or commonly causes.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.cheap_pdf import cheap_pdf
from tests.security.test_methods import PATTERNS, _url

pytestmark = pytest.mark.django_db

HOSTILE = [
    "x" * 100_000,  # huge: beyond every limit, beyond SQLite's LIKE pattern limit
    "a\x00b",  # NUL: PostgreSQL refuses it in text
    "²",  # isdigit() but not int()
    "９" * 60,  # full-width digits, and overflows every integer column
    "\u202e\u200b\ufeff\u3000",  # bidi override, invisible and ideographic space only
    "[]",
    "<script>alert(1)</script>",
]
QUERY_PARAMS = ["year", "next", "q", "page", "agency"]
QUERY_HOSTILE = ["²", "a\x00b", "x" * 5000]

GET_PATTERNS = [(n, p) for n, p in PATTERNS if "GET" in p.callback.allowed_methods]
# Forms of the page chrome (logout, agency switcher) are probed on one page, not on all.
CHROME_ACTIONS = {"workspace:logout", "workspace:switch_agency"}


def _forms(html: str, page_url: str) -> list[tuple[str, dict[str, list[str]]]]:
    found = []
    for form in BeautifulSoup(html, "html.parser").find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        action = urljoin(page_url, form.get("action") or page_url)
        data: dict[str, list[str]] = {}
        for field in form.find_all(["input", "select", "textarea"]):
            name = field.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            data.setdefault(name, []).append(field.get("value", ""))
        found.append((action, data))
    return found


def _assert_no_5xx(response, what: str) -> None:
    assert response.status_code < 500, f"{what} → {response.status_code}"


def _probe_form(client, action: str, data: dict[str, list[str]]) -> None:
    for name in data:
        for value in HOSTILE:
            response = client.post(action, dict(data) | {name: [value]})
            _assert_no_5xx(response, f"POST {action} {name}={value[:20]!r}")
        many = client.post(action, dict(data) | {name: HOSTILE[1:5]})
        _assert_no_5xx(many, f"POST {action} {name}[]")
        without = {k: v for k, v in data.items() if k != name}
        _assert_no_5xx(client.post(action, without), f"POST {action} without {name}")
    raw = "&".join(f"{k}=x" for k in data).encode("utf-16")
    response = client.generic(
        "POST", action, raw, content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    assert response.status_code == 400, action


def _probe_page(client, url: str, *, chrome: bool) -> None:
    # A PDF view reads its query parameters before laying out the document: the hostile ones
    # skip WeasyPrint's layout (tests/cheap_pdf.py), the plain request below renders for real.
    with cheap_pdf():
        for param in QUERY_PARAMS:
            for value in QUERY_HOSTILE:
                response = client.get(url, {param: value})
                _assert_no_5xx(response, f"GET {url} ?{param}={value[:20]!r}")
    page = client.get(url)
    _assert_no_5xx(page, f"GET {url}")
    if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
        return  # only HTML pages carry forms (a feed or a download has none to probe)
    chrome_urls = {reverse(name) for name in CHROME_ACTIONS}
    for action, data in _forms(page.content.decode(), url):
        if chrome or not action.endswith(tuple(chrome_urls)):
            _probe_form(client, action, data)


@pytest.fixture
def hostile_client(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("persona", ["reviewer", "drafter"])
@pytest.mark.parametrize(("name", "pattern"), GET_PATTERNS, ids=[n for n, _ in GET_PATTERNS])
def test_workspace_page_and_its_forms(
    hostile_client, request, bundled_calendar, item, chain, step, persona, name, pattern
):
    hostile_client.force_login(request.getfixturevalue(persona))
    url = _url(name, pattern, {"item": item, "chain": chain, "step": step})
    _probe_page(hostile_client, url, chrome=name == "workspace:inbox")


def test_login_form_anonymous(hostile_client, db):
    _probe_page(hostile_client, reverse("workspace:login"), chrome=True)


def test_calendar_import_form(hostile_client, sysadmin):
    hostile_client.force_login(sysadmin)
    url = reverse("admin:workdays_calendaryear_import")
    for value in HOSTILE:
        for filename in ("x.json", "x.csv"):
            upload = SimpleUploadedFile(filename, value.encode())
            response = hostile_client.post(url, {"file": upload, "source": value})
            _assert_no_5xx(response, f"import {filename} {value[:20]!r}")


ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[m._meta.label for m, _ in ADMINS])
def test_admin_changelist(hostile_client, sysadmin, model, model_admin):
    hostile_client.force_login(sysadmin)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    probes = [("p", "²"), ("o", "９" * 60), ("e", "a\x00b")]
    if model_admin.search_fields:
        probes += [("q", HOSTILE[0]), ("q", HOSTILE[1])]
    for param, value in probes:
        _assert_no_5xx(hostile_client.get(url, {param: value}), f"GET {url} ?{param}")
