"""Hostile text in published items is escaped or stripped on the public pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script>'


def test_title_and_body_payloads_do_not_run(client, petition_bureau, column, publish):
    item = publish(
        title=f"标题{PAYLOAD}",
        body=f'<p>正文</p>{PAYLOAD}<img src="x" onerror="alert(1)">',
        doc_number=f"文号{PAYLOAD}",
    )
    for url in (
        reverse("portal:item", args=[petition_bureau.pk, item.pk]),
        reverse("portal:column", args=[petition_bureau.pk, column.pk]),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "onerror" not in html
    assert (
        "&lt;script&gt;"
        in client.get(reverse("portal:item", args=[petition_bureau.pk, item.pk])).content.decode()
    )
