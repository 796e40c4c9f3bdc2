"""Desks and filing: a request's checks, its tracking number and code, its first timeline line and attachments."""

import datetime
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.governorates import Governorate
from citizen_requests import conf, tracking
from citizen_requests.attachments import attachments_store, uploads_check
from citizen_requests.models import (
    CitizenRequest,
    Publicity,
    RequestDesk,
    RequestEvent,
)
from citizen_requests.services.common import changed_on_commit, due_from
from citizen_requests.services.errors import (
    Invalid,
    Refused,
    rate_limit,
)
from citizen_requests.stages import (
    ANONYMOUS_KINDS,
    PUBLIC_KINDS,
    EventKind,
    Kind,
    Stage,
)
from citizen_requests.storage import attachment_storage


def desk_triage() -> RequestDesk:
    desk = RequestDesk.objects.select_related("institution").filter(is_triage=True).first()
    if desk is None:
        raise Invalid(_("Choose the institution: no desk receives requests for unknown institutions."), field="desk")
    return desk


def desk_for_institution(institution) -> RequestDesk | None:
    """The desk of ``institution`` (any of its translations)."""
    return (
        RequestDesk.objects.select_related("institution")
        .filter(institution__translation_key=institution.translation_key)
        .first()
    )


@dataclass(frozen=True)
class Filed:
    request: CitizenRequest
    # The secret code, shown once (None when an earlier identical filing is returned).
    secret_code: str | None
    created: bool


def _text_check(subject: str, text: str) -> tuple[str, str]:
    subject, text = (subject or "").strip(), (text or "").strip()
    subject_max = conf.get("CITIZEN_REQUESTS_SUBJECT_MAX_LENGTH")
    text_max = conf.get("CITIZEN_REQUESTS_TEXT_MAX_LENGTH")
    if not subject:
        raise Invalid(_("Give your request a subject."), field="subject")
    if len(subject) > subject_max:
        raise Invalid(
            _("The subject is too long: at most %(max)d characters.") % {"max": subject_max},
            field="subject",
        )
    if not text:
        raise Invalid(_("Write your request."), field="text")
    if len(text) > text_max:
        raise Invalid(
            _("The text is too long: at most %(max)d characters.") % {"max": text_max},
            field="text",
        )
    return subject, text


def _place_check(latitude, longitude) -> None:
    if (latitude is None) != (longitude is None):
        raise Invalid(_("Give both the latitude and the longitude, or neither."), field="latitude")
    if latitude is not None and not (-90 <= float(latitude) <= 90 and -180 <= float(longitude) <= 180):
        raise Invalid(_("These coordinates are not on Earth."), field="latitude")


def request_file(
    *,
    author,
    kind: str,
    desk: RequestDesk | None,
    subject: str,
    text: str,
    language: str,
    client_ip: str = "",
    governorate: str = "",
    municipality: str = "",
    address: str = "",
    latitude=None,
    longitude=None,
    files=(),
    notify: bool = True,
    public: bool = False,
    idempotency_key: uuid.UUID | None = None,
    account_rates: list[str] | None = None,
) -> Filed:
    """File a request: its tracking number and secret code, the first line of its timeline,
    its attachments, and the receipt e-mailed to an author who has an account.

    ``author`` is None only for a kind filed anonymously (corruption reports): then nothing
    identifying is stored, and the client address is used for the rate limit only.
    ``desk`` None sends it to the triage desk. ``public``: the author asks for a suggestion or
    a notice to be published (once moderated). ``account_rates``: the filing limits of the
    account, if not a citizen's (an Open311 client's back office). Refusals raise ``RequestError``.
    """
    if author is not None and not author.is_authenticated:
        author = None
    desk, subject, text, uploads = _filing_checked(
        author=author, kind=kind, desk=desk, public=public, subject=subject, text=text,
        governorate=governorate, latitude=latitude, longitude=longitude, files=files,
    )
    earlier = _earlier_filing(author, idempotency_key)
    if earlier is not None:
        return earlier
    rate_limit(
        "request_file",
        {
            "account": (
                str(author.pk) if author else "",
                account_rates or conf.get("CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT"),
            ),
            "ip": (client_ip, conf.get("CITIZEN_REQUESTS_FILE_RATE_PER_IP")),
        },
    )
    code = tracking.secret_code_new()
    fields = {
        "kind": kind, "desk": desk, "author": author, "language": language,
        "subject": subject, "text": text, "governorate": governorate or "",
        "municipality": (municipality or "").strip()[:100], "address": (address or "").strip()[:300],
        "latitude": latitude, "longitude": longitude,
        "notify": bool(notify) and author is not None,
        "publicity": Publicity.PENDING if public else Publicity.PRIVATE,
        "idempotency_key": idempotency_key if author is not None else None,
    }
    try:
        request = _filing_store(fields=fields, code=code, uploads=uploads)
    except IntegrityError:
        earlier = _earlier_filing(author, idempotency_key)  # the same form sent twice at once
        if earlier is not None:
            return earlier
        raise
    return Filed(request=request, secret_code=code, created=True)


def _filing_checked(*, author, kind, desk, public, subject, text, governorate, latitude, longitude, files):
    """What filing refuses, in the order a citizen fixes it; (desk, subject, text, uploads)."""
    if kind not in Kind.values:
        raise Invalid(_("Choose what kind of request this is."), field="kind")
    if author is None and kind not in ANONYMOUS_KINDS:
        raise Refused(_("Sign in to file this kind of request (corruption reports can be anonymous)."))
    if public and kind not in PUBLIC_KINDS:
        raise Invalid(_("Only suggestions and notices can be made public."), field="public")
    if desk is None:
        desk = desk_triage()
    if not desk.accepts_requests:
        raise Invalid(_("This institution does not take requests here."), field="desk")
    subject, text = _text_check(subject, text)
    if governorate and governorate not in Governorate.values:
        raise Invalid(_("Choose a governorate from the list."), field="governorate")
    _place_check(latitude, longitude)
    uploads, problem = uploads_check(files)
    if problem:
        raise Invalid(problem, field="attachments")
    return desk, subject, text, uploads


def _earlier_filing(author, idempotency_key) -> Filed | None:
    """The request this account already filed with this key (a double click, a retry)."""
    if author is None or idempotency_key is None:
        return None
    earlier = CitizenRequest.objects.filter(author=author, idempotency_key=idempotency_key).first()
    return Filed(request=earlier, secret_code=None, created=False) if earlier else None


def _filing_store(*, fields: dict, code: str, uploads) -> CitizenRequest:
    """The request, the first line of its timeline and its files, in one transaction; the
    files written are removed if it fails."""
    now = timezone.now()
    written: list[str] = []
    try:
        with transaction.atomic():
            number = _unused_number(fields["desk"], now)
            request = CitizenRequest.objects.create(
                tracking_number=number,
                secret_digest=tracking.secret_code_digest(number=number, code=code),
                created_at=now,
                updated_at=now,
                due_at=due_from(now, fields["desk"], fields["kind"]),
                **fields,
            )
            event = RequestEvent.objects.create(
                request=request, kind=EventKind.FILED, at=now, stage=Stage.RECEIVED,
                actor=fields["author"], by_citizen=True,
            )
            written = attachments_store(request=request, uploads=uploads, event=event)
            changed_on_commit(request, event)
    except BaseException:
        stored_remove(written)
        raise
    return request


def _unused_number(desk: RequestDesk, now: datetime.datetime) -> str:
    for _attempt in range(10):
        number = tracking.tracking_number_new(prefix=desk.code, year=now.year)
        if not CitizenRequest.objects.filter(tracking_number=number).exists():
            return number
    raise RuntimeError("No unused tracking number after 10 draws")  # 1 in 10^100: a bug


def stored_remove(names: list[str]) -> None:
    storage = attachment_storage()
    for name in names:
        storage.delete(name)
