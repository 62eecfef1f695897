"""What an upload may contain: files told by content, ZIP archives expanded within limits.

A DOCX is itself a ZIP, so an archive is a ZIP *without* ``word/document.xml``. Its members are
checked from the central directory before anything is unpacked (count, total size, compression
ratio — real reports deflate ~20:1, zip bombs ~1000:1), and each member is read with a hard cap
in case the directory lies. Names in archives made on Chinese Windows are GBK without the UTF-8
flag; they are decoded as such instead of as cp437 mojibake.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings

from gongkai.reportdoc.reader import sniff

MB = 1024 * 1024
_UTF8_FLAG = 0x800


@dataclass(frozen=True)
class IntakeLimits:
    max_file_bytes: int = 50 * MB
    max_files: int = 2000  # files in one upload, archive members included
    max_unpacked_bytes: int = 1024 * MB
    max_ratio: float = 200.0  # for members over 1 MB


def limits() -> IntakeLimits:
    return IntakeLimits(
        max_file_bytes=getattr(settings, "SUPERVISION_MAX_FILE_BYTES", 50 * MB),
        max_files=getattr(settings, "SUPERVISION_MAX_FILES", 2000),
        max_unpacked_bytes=getattr(settings, "SUPERVISION_MAX_UNPACKED_BYTES", 1024 * MB),
    )


@dataclass(frozen=True)
class Candidate:
    name: str
    data: bytes
    kind: str


@dataclass(frozen=True)
class Refused:
    name: str
    reason: str


def is_archive(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" not in archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return False  # a broken DOCX: the reader will say so


def classify(name: str, data: bytes, lim: IntakeLimits) -> Candidate | Refused:
    if len(data) > lim.max_file_bytes:
        return Refused(name, f"文件超过 {lim.max_file_bytes // MB} MB 的上限")
    if not data.strip():
        return Refused(name, "文件是空的")
    kind = sniff(data)
    if kind.startswith("!"):
        return Refused(name, kind[1:])
    return Candidate(name, data, "html" if kind == "mdhtml" else kind)


def expand(name: str, data: bytes, lim: IntakeLimits | None = None) -> list[Candidate | Refused]:
    """One uploaded file → the report files in it (itself, or an archive's members)."""
    lim = lim or limits()
    if len(data) > lim.max_file_bytes:
        return [Refused(name, f"文件超过 {lim.max_file_bytes // MB} MB 的上限")]
    if not is_archive(data):
        return [classify(name, data, lim)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        return [Refused(name, f"压缩包已损坏（{exc}）")]
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir() and not _hidden(i.filename)]
        if len(infos) > lim.max_files:
            return [Refused(name, f"压缩包内有 {len(infos)} 个文件，超过 {lim.max_files} 个的上限")]
        total = sum(i.file_size for i in infos)
        if total > lim.max_unpacked_bytes:
            return [Refused(name, f"压缩包解压后 {total // MB} MB，超过上限，疑似压缩炸弹")]
        return [_member(archive, info, name, lim) for info in infos]


def _member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, archive_name: str, lim: IntakeLimits
) -> Candidate | Refused:
    member = f"{archive_name}/{_decoded_name(info)}"
    if info.file_size > lim.max_file_bytes:
        return Refused(member, f"文件超过 {lim.max_file_bytes // MB} MB 的上限")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MB and ratio > lim.max_ratio:
        return Refused(member, f"压缩比 {ratio:.0f}:1 异常，疑似压缩炸弹")
    try:
        with archive.open(info) as fh:
            data = fh.read(lim.max_file_bytes + 1)  # the directory may lie about the size
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        return Refused(member, f"无法解压（{exc}）")
    if is_archive(data):
        return Refused(member, "压缩包中的压缩包不予展开，请直接上传")
    return classify(member, data, lim)


def _decoded_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _hidden(path: str) -> bool:
    return any(part.startswith((".", "__MACOSX")) for part in path.split("/") if part)
