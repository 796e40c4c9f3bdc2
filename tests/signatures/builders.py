"""Helpers that tamper with signed PDFs and JWSs the ways the tests need."""

import base64
import io
import json

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.stamp import TextStamp, TextStampStyle

from signatures import pades
from signatures.keys import key_provider


def one_byte_changed(pdf: bytes) -> bytes:
    """``pdf`` with one byte of its first content stream (inside the signed bytes) changed;
    same length, so the file still parses."""
    start = pdf.index(b"stream", pdf.index(b"/Length")) + len(b"stream\n") + 10
    data = bytearray(pdf)
    data[start] ^= 0x01
    return bytes(data)


def text_added(pdf: bytes, text: str = "PAID IN FULL") -> bytes:
    """``pdf`` with words drawn on its first page by an incremental update (what a forger
    appends after a signature, leaving the signed bytes untouched)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    TextStamp(writer, style=TextStampStyle(stamp_text=text)).apply(0, 50, 50)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def payload_changed(token: str, **changes) -> str:
    """The JWS with its payload changed (the signature kept)."""
    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(changes)
    encoded = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


def sign_raw(pdf: bytes, certificate, *, embed_validation_info: bool = False) -> bytes:
    """``pdf`` signed with ``certificate``'s key, bypassing the service's refusals (for a
    certificate it would not sign with: expired, unknown)."""
    return pades.pdf_sign(
        pdf,
        signer=key_provider().signer_for(certificate),
        validation_context=None,
        reason="test",
        embed_validation_info=embed_validation_info,
    )
