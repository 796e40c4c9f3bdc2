"""Search documents written straight to the index, for the page, API and feed tests."""

import datetime
from zoneinfo import ZoneInfo

from search.documents import DocumentData
from search.services import document_save

TUNIS = ZoneInfo("Africa/Tunis")
JANUARY_FIRST = datetime.datetime(2026, 1, 1, 12, tzinfo=TUNIS)
NAMES = {
    "el-kef": {"ar": "بلدية الكاف", "fr": "Municipalité du Kef", "en": "El Kef Municipality"},
    "bizerte": {"ar": "بلدية بنزرت", "fr": "Municipalité de Bizerte", "en": "Bizerte Municipality"},
}


def doc(number, *, kind="decision", language="fr", title=None, body="", institution="el-kef",
        status="", topics=(), date=None, reference=""):
    document_save(
        data=DocumentData(
            key=f"doc-{number}",
            kind=kind,
            language=language,
            title=title or f"Document {number}",
            body=body,
            url=f"/{language}/docs/{number}/",
            date=date or JANUARY_FIRST + datetime.timedelta(days=number),
            institution=institution,
            institution_name=NAMES[institution][language] if institution else "",
            status=status,
            reference=reference,
            topics=list(topics),
        )
    )
