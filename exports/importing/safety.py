"""Checks an uploaded workbook must pass before openpyxl reads a byte of it.

openpyxl has no decompression limit (a 0.56 MB crafted xlsx declaring 192 MB took 79 s to
read), so the zip's central directory is inspected first: declared sizes, entry count,
compression ratios and entry paths. Python's zipfile never inflates an entry past its declared
size, so the declared total bounds the work openpyxl can be made to do.
"""

import zipfile
from typing import BinaryIO

from django.utils.translation import gettext_lazy

from exports import importing

ALLOWED_EXTENSION = ".xlsx"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
REQUIRED_ENTRIES = ("[Content_Types].xml", "xl/workbook.xml")

EXTENSION_MESSAGE = gettext_lazy(
    "Only Excel workbooks (.xlsx) can be imported. Save the file as “Excel workbook (*.xlsx)” "
    "and upload it again."
)
EMPTY_MESSAGE = gettext_lazy("The file is empty.")
TOO_LARGE_MESSAGE = gettext_lazy(
    "The file is %(size)s MB; at most %(limit)s MB can be imported at once. Split it into "
    "several files."
)
OLD_FORMAT_MESSAGE = gettext_lazy(
    "This is an old .xls workbook or a password-protected one. Remove the password, save it "
    "as “Excel workbook (*.xlsx)” and upload it again."
)
NOT_XLSX_MESSAGE = gettext_lazy(
    "The file is not a valid Excel workbook (its content does not match .xlsx). Open it in "
    "Excel or WPS, save it as “Excel workbook (*.xlsx)” and upload it again."
)
TOO_MANY_ENTRIES_MESSAGE = gettext_lazy(
    "The workbook contains %(count)s internal parts (at most %(limit)s): it was not made by a "
    "spreadsheet program and is refused."
)
UNCOMPRESSED_TOO_LARGE_MESSAGE = gettext_lazy(
    "The workbook would unpack to %(size)s MB (at most %(limit)s MB): it is refused. Remove "
    "pictures and unused sheets, or split it into several files."
)
RATIO_MESSAGE = gettext_lazy(
    "The workbook contains a part compressed %(ratio)s times, which spreadsheet programs never "
    "produce: it is refused as unsafe."
)
SUSPICIOUS_PATH_MESSAGE = gettext_lazy(
    "The workbook contains a part with a suspicious path (“%(path)s”): it is refused as unsafe."
)
ENCRYPTED_MESSAGE = gettext_lazy(
    "The workbook is encrypted. Remove the password and upload it again."
)

_RATIO_FLOOR = 1024 * 1024  # small parts may compress well; only big ones are checked


class UploadRefused(Exception):
    """The upload is refused before parsing; the message says what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def check_name_and_size(name: str, size: int) -> None:
    """Refuse a wrong extension, an empty file or one over the size limit."""
    if not name.lower().endswith(ALLOWED_EXTENSION):
        raise UploadRefused(str(EXTENSION_MESSAGE))
    if size <= 0:
        raise UploadRefused(str(EMPTY_MESSAGE))
    limit = importing.max_bytes()
    if size > limit:
        raise UploadRefused(str(TOO_LARGE_MESSAGE) % {"size": _mb(size), "limit": _mb(limit)})


def _suspicious(path: str) -> bool:
    if path.startswith(("/", "\\")) or "\\" in path or "\x00" in path:
        return True
    if len(path) > 1 and path[1] == ":":
        return True
    return any(part == ".." for part in path.split("/"))


def check_zip(stream: BinaryIO) -> None:
    """Refuse a stream that is not a plausible, bounded xlsx zip (reads only its directory)."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(OLE_MAGIC):
        raise UploadRefused(str(OLD_FORMAT_MESSAGE))
    if not head.startswith(ZIP_MAGIC):
        raise UploadRefused(str(NOT_XLSX_MESSAGE))
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused(str(NOT_XLSX_MESSAGE)) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > importing.max_entries():
            raise UploadRefused(
                str(TOO_MANY_ENTRIES_MESSAGE)
                % {"count": len(entries), "limit": importing.max_entries()}
            )
        total = 0
        for entry in entries:
            if _suspicious(entry.filename):
                raise UploadRefused(str(SUSPICIOUS_PATH_MESSAGE) % {"path": entry.filename[:80]})
            if entry.flag_bits & 0x1:
                raise UploadRefused(str(ENCRYPTED_MESSAGE))
            total += entry.file_size
            if entry.file_size > _RATIO_FLOOR:
                ratio = entry.file_size / max(entry.compress_size, 1)
                if ratio > importing.max_ratio():
                    raise UploadRefused(str(RATIO_MESSAGE) % {"ratio": int(ratio)})
        limit = importing.max_uncompressed_bytes()
        if total > limit:
            raise UploadRefused(
                str(UNCOMPRESSED_TOO_LARGE_MESSAGE) % {"size": _mb(total), "limit": _mb(limit)}
            )
        names = {entry.filename for entry in entries}
        if any(required not in names for required in REQUIRED_ENTRIES):
            raise UploadRefused(str(NOT_XLSX_MESSAGE))
    stream.seek(0)


def check_upload(name: str, stream: BinaryIO, size: int) -> None:
    """Run every check an upload must pass before it is stored or parsed."""
    check_name_and_size(name, size)
    check_zip(stream)
