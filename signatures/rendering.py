"""The signed answer's PDF, drawn by WeasyPrint from an HTML template
(``signatures/pdf/answer.html``): Pango and HarfBuzz shape Arabic, FriBidi orders it.

Fonts, read from this machine only (no network: the fetcher refuses every URL but the two font
folders and ``data:``): Latin from the site's Noto Sans (``static/fonts``), Arabic from DejaVu
Sans (``signatures/fonts``, subset to Arabic). Why not the site's Noto Sans Arabic: it draws
each dotted letter as a dotless base plus dot marks, so one base glyph stands for several
letters (ب ت ث ن ي share one), and a PDF maps each glyph to one text: copied, searched or read
aloud, ت came out as ة and ف as ن. DejaVu Sans has one glyph per letter and form, so the PDF's
text is the answer's text (``tests/signatures/test_rendering.py`` extracts it).
"""

import base64
import datetime
import functools
import io
from pathlib import Path

import qrcode
import qrcode.image.svg
import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from fontTools.ttLib import TTFont
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cms.l10n import format_moment, localize_digits

APP_FONTS = Path(__file__).resolve().parent / "fonts"
SITE_FONTS = Path(settings.BASE_DIR) / "static" / "fonts"


class LocalFontsFetcher(URLFetcher):
    """Fetches ``data:`` URLs and files in the two font folders; nothing else."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if not any(path.is_relative_to(folder) for folder in (APP_FONTS, SITE_FONTS)):
                raise ValueError(f"Not a font of the signed documents: {url}")
            if path.suffix == ".woff2":
                return URLFetcherResponse(url, body=_decompressed(path), headers={"Content-Type": "font/ttf"})
        return super().fetch(url, headers)


@functools.lru_cache(maxsize=8)
def _decompressed(path: Path) -> bytes:
    """A WOFF2 font of the site as plain TrueType, decompressed once per process: WeasyPrint
    would decompress the four Latin fonts again for each PDF (three quarters of its time)."""
    font = TTFont(str(path))
    font.flavor = None
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def qr_data_uri(text: str) -> str:
    """An SVG QR code of ``text`` (error correction M), as a data URI."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(text)
    svg = code.make_image().to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def answer_pdf(
    *,
    language: str,
    institution_title: str,
    time_zone: str,
    kind_label: str,
    reference: str,
    subject: str,
    text: str,
    attachments: list[tuple[str, str]],
    signer_name: str,
    signer_role: str,
    signed_at: datetime.datetime,
    verification_url: str,
    verification_code: str,
) -> bytes:
    """The answer as an unsigned PDF, in ``language`` (its words, digits and direction)."""
    with translation.override(language):
        html = render_to_string(
            "signatures/pdf/answer.html",
            {
                "language": language,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
                "fonts": {
                    "arabic": (APP_FONTS / "DejaVuSans-Arabic.ttf").as_uri(),
                    "arabic_bold": (APP_FONTS / "DejaVuSans-Bold-Arabic.ttf").as_uri(),
                    "latin": (SITE_FONTS / "noto-sans-latin-400-normal.woff2").as_uri(),
                    "latin_bold": (SITE_FONTS / "noto-sans-latin-700-normal.woff2").as_uri(),
                    "latin_ext": (SITE_FONTS / "noto-sans-latin-ext-400-normal.woff2").as_uri(),
                    "latin_ext_bold": (SITE_FONTS / "noto-sans-latin-ext-700-normal.woff2").as_uri(),
                },
                "institution_title": institution_title,
                "kind_label": kind_label,
                "reference": reference,
                "subject": subject,
                "paragraphs": [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()],
                "attachments": attachments,
                "attachment_count": localize_digits(str(len(attachments)), language),
                "signer_name": signer_name,
                "signer_role": signer_role,
                "signed_on": format_moment(signed_at, time_zone, language),
                "verification_url": verification_url,
                "verification_code": verification_code,
                "qr": qr_data_uri(verification_url),
            },
        )
    document = weasyprint.HTML(string=html, url_fetcher=LocalFontsFetcher(), base_url=str(APP_FONTS))
    return document.write_pdf()
