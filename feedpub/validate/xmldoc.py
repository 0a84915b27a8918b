"""The XML layer: encoding, well-formedness and a parse that is safe on hostile input.

The parser never loads a DTD, never touches the network, never expands an
entity, and keeps libxml2's limits on depth and size; a document that declares
entities is reported, not expanded.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from lxml import etree

from feedpub.validate.findings import Context

_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z][A-Za-z0-9._-]*)[\"']")
_LATIN = {"iso8859-1", "latin-1", "cp1252", "iso8859-15"}

_PARSE_RULES = {
    "ERR_UNDECLARED_ENTITY": "xml-entity",
    "WAR_UNDECLARED_ENTITY": "xml-entity",
    "ERR_INVALID_CHAR": "xml-char",
    "ERR_INVALID_CHARREF": "xml-char",
    "ERR_INVALID_ENCODING": "xml-encoding",
    "ERR_UNKNOWN_ENCODING": "xml-encoding",
    "ERR_UNSUPPORTED_ENCODING": "xml-encoding",
}


def parse(context: Context) -> etree._Element | None:
    """Check the encoding and parse; None when the document is not well-formed XML."""
    if not _check_encoding(context):
        return None
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )
    try:
        root = etree.fromstring(context.data, parser)
    except etree.XMLSyntaxError as error:
        log: Any = error.error_log
        entries = list(log)
        type_name = str(entries[-1].type_name) if entries else ""
        line, column = error.position
        code = (
            "xml-namespace"
            if type_name.startswith("NS_")
            else _PARSE_RULES.get(type_name, "xml-syntax")
        )
        message = error.msg.split(", line ")[0] if error.msg else "not well-formed"
        if "amplification" in message:
            code = "xml-dtd-entity"
            message = (
                "the DOCTYPE declares entities that expand without bound; nothing was expanded"
            )
        context.add(code, (line or 1, column or 1), message)
        return None
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    entities: Any = getattr(dtd, "iterentities", None)
    if entities is not None and any(True for _ in entities()):
        context.add(
            "xml-dtd-entity",
            (1, 1),
            "the DOCTYPE declares entities; feeds must not, and they are never expanded",
        )
    context.root = root
    # libxml2 keeps a reference to an entity it could not see declared, which it lets
    # pass when the DOCTYPE names an external DTD: no reader loads that DTD either.
    for reference in root.iter(etree.Entity):
        context.add(
            "xml-entity",
            reference,
            f"{reference.text} is declared nowhere a reader looks: expected one of the five "
            "predefined entities or a character reference",
        )
    return root


def _check_encoding(context: Context) -> bool:
    """Check the bytes against the byte-order mark and the declaration; False if unreadable."""
    data = context.data
    bom = None
    for mark, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(mark):
            bom = name
            break
    head = data[len(codecs.BOM_UTF8) :] if bom == "utf-8" else data
    if bom in ("utf-16", "utf-32"):
        head = data[:400].decode(bom, "replace").encode("ascii", "replace")
    match = _DECLARATION.match(head)
    declared = match[1].decode("ascii") if match else None
    try:
        info = codecs.lookup(declared or bom or "utf-8")
    except LookupError:
        info = None
    # Python's codec registry also holds transforms (rot13, zlib, base64), which no XML
    # parser knows: only a text encoding is one.
    if info is None or not getattr(info, "_is_text_encoding", True):
        context.add("xml-encoding", (1, 1), f"unknown encoding {declared!r}")
        return False
    codec = info.name
    if bom is not None and declared is not None and not codec.startswith(bom):
        context.add(
            "xml-encoding",
            (1, 1),
            f"the byte-order mark says {bom.upper()} but the declaration says {declared}",
        )
        return False
    if (
        bom is None
        and codec.startswith(("utf-16", "utf-32"))
        and codec not in ("utf-16-le", "utf-16-be")
    ):
        context.add("xml-encoding", (1, 1), f"{declared} requires a byte-order mark")
        return False
    context.encoding = codec
    try:
        data.decode(codec)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        context.encoding = "latin-1"
        context.add(
            "xml-encoding",
            (line, column),
            f"byte 0x{data[error.start]:02X} is not valid {declared or codec.upper()}"
            + ("" if declared else " (the encoding when none is declared)"),
        )
        return False
    except UnicodeError as error:  # a codec that fails without saying where (punycode)
        context.encoding = "latin-1"
        context.add("xml-encoding", (1, 1), f"cannot decode as {declared}: {error}")
        return False
    if codec in _LATIN and any(byte > 0x7F for byte in data):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            context.add(
                "xml-encoding-suspect",
                (1, 1),
                f"declared {declared} but the bytes read as UTF-8: characters will be garbled",
            )
    return True
