"""Fetching a published report from a government website, safely.

Only http and https; the host is resolved once and every address it resolves to must be public
(no loopback, private, link-local, multicast or reserved ranges) unless the deployment allows
private addresses (``SUPERVISION_FETCH_ALLOW_PRIVATE``, for an intranet portal and for tests —
link-local addresses, where cloud metadata services answer, stay refused even then);
the connection then goes to the address that was checked, so a second DNS answer cannot
redirect it (DNS rebinding). Redirects are followed a few times, each one checked the same way.
The body is read in chunks up to a size limit, under a total deadline.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings

MB = 1024 * 1024
MAX_REDIRECTS = 3
_CHUNK = 64 * 1024


class FetchError(Exception):
    """The address was refused or the download failed; the message is Chinese, for the user."""


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int = 50 * MB
    timeout_s: float = 20.0
    allow_private: bool = False


def limits() -> FetchLimits:
    return FetchLimits(
        max_bytes=getattr(settings, "SUPERVISION_FETCH_MAX_BYTES", 50 * MB),
        timeout_s=getattr(settings, "SUPERVISION_FETCH_TIMEOUT", 20.0),
        allow_private=getattr(settings, "SUPERVISION_FETCH_ALLOW_PRIVATE", False),
    )


@dataclass(frozen=True)
class Fetched:
    url: str
    name: str
    data: bytes


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError("只能抓取 http 或 https 网址。")
    if not parts.hostname:
        raise FetchError("网址中没有主机名。")
    if parts.username or parts.password:
        raise FetchError("网址中不能包含用户名或密码。")


def _public_address(host: str, port: int, allow_private: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"无法解析主机名 {host}。") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(f"无法解析主机名 {host}。")
    for raw in addresses:
        address = ipaddress.ip_address(raw.split("%", 1)[0])
        mapped = getattr(address, "ipv4_mapped", None)
        address = mapped or address
        if not allow_private and not address.is_global:
            raise FetchError(f"{host} 指向内网或本机地址（{address}），不予抓取。")
        if address.is_link_local:
            # cloud metadata services live here (169.254.169.254): never, whatever the setting
            raise FetchError(f"{host} 指向链路本地地址（{address}），不予抓取。")
        if address.is_multicast or address.is_unspecified:
            raise FetchError(f"{host} 的地址（{address}）无效。")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(url: str, lim: FetchLimits | None = None) -> Fetched:
    lim = lim or limits()
    deadline = time.monotonic() + lim.timeout_s
    for _ in range(MAX_REDIRECTS + 1):
        check_url(url)
        parts = urlsplit(url)
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        address = _public_address(parts.hostname, port, lim.allow_private)
        cls = _PinnedHTTPS if https else _PinnedHTTP
        conn = cls(parts.hostname, address, port, lim.timeout_s)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request("GET", path, headers={"User-Agent": "Gongkai-supervision/1.0"})
            response = conn.getresponse()
            if response.status in {301, 302, 303, 307, 308}:
                location = response.getheader("Location")
                if not location:
                    raise FetchError("网站返回了没有目标地址的跳转。")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchError(f"网站返回 HTTP {response.status}。")
            data = _read(response, lim, deadline)
        except TimeoutError as exc:
            raise FetchError(f"下载超过 {lim.timeout_s:.0f} 秒仍未完成，已停止。") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"无法下载（{exc.__class__.__name__}）。") from exc
        finally:
            conn.close()
        return Fetched(url, _name(url), data)
    raise FetchError(f"跳转超过 {MAX_REDIRECTS} 次，已停止。")


def _read(response: http.client.HTTPResponse, lim: FetchLimits, deadline: float) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > lim.max_bytes:
        raise FetchError(f"文件大小超过 {lim.max_bytes // MB} MB 的上限。")
    chunks, total = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(f"下载超过 {lim.timeout_s:.0f} 秒仍未完成，已停止。")
        chunk = response.read(_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > lim.max_bytes:
            raise FetchError(f"文件大小超过 {lim.max_bytes // MB} MB 的上限。")
        chunks.append(chunk)
    return b"".join(chunks)


def _name(url: str) -> str:
    parts = urlsplit(url)
    last = unquote(parts.path.rsplit("/", 1)[-1]) or "index.html"
    return f"{parts.hostname}/{last}"[:200]
