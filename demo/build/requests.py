"""Citizens' requests: each institution's request desk and page of public suggestions and
notices, then the requests of ``demo.content.requests_*`` filed and handled through
``citizen_requests.services``, each step on its own day (``clock_at``), so that timelines,
deadlines (paused while waiting, reset by a redirect), overdue requests and the staff log are
the services' own. Public ones are supported by demo citizens and discussed in their thread.

A request already filed (its author and idempotency key, or for the anonymous report its
subject) is left alone: running it again adds nothing.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from citizen_requests import services
from citizen_requests.models import CitizenRequest, PublicRequestsPage, RequestDesk
from citizen_requests.roles import request_roles_ensure
from cms.models import InstitutionPage
from cms.services import locales_ensure, page_translation_ensure
from deliberation.services import thread_for_page
from demo.build.conditions import (
    clock_at,
    filing_unlimited,
    posting_unlimited,
    secret_code_given,
)
from demo.build.discussions import discussion_seed, people
from demo.build.ids import request_key
from demo.build.publishing import child_publish
from demo.content import requests as content
from demo.content.requests import ANONYMOUS_CODE, DESKS, PUBLIC_PAGE, Demand, Step
from demo.content.requests_el_kef import EL_KEF
from demo.content.requests_national import AGRICULTURE, CENTRAL_OFFICE

REQUESTS: list[Demand] = [*EL_KEF, *AGRICULTURE, *CENTRAL_OFFICE]


def _institution(slug: str) -> InstitutionPage:
    return InstitutionPage.objects.get(slug=slug, locale__language_code="ar")


def desks_ensure() -> dict[str, RequestDesk]:
    """Each demo institution's desk (as an administrator sets it up in the admin), by slug."""
    desks = {}
    for slug, fields in DESKS.items():
        desks[slug], _ = RequestDesk.objects.get_or_create(
            institution=_institution(slug), defaults=fields
        )
        # As saving a desk in the admin does: its officers' group may enter the admin.
        request_roles_ensure(desk=desks[slug])
    return desks


def public_page_ensure(slug: str) -> PublicRequestsPage:
    """The institution's page of public suggestions and notices, in Arabic (source), French
    and English, published some weeks ago."""
    institution = _institution(slug)
    opened = timezone.now() - datetime.timedelta(days=PUBLIC_PAGE["opened_days_ago"])
    page = PublicRequestsPage.objects.child_of(institution).first()
    if page is None:
        page = child_publish(
            parent=institution,
            page=PublicRequestsPage(
                slug=PUBLIC_PAGE["slug"], first_published_at=opened, **PUBLIC_PAGE["ar"]
            ),
        )
    locales = locales_ensure()
    for code in ("fr", "en"):
        page_translation_ensure(
            page=page, locale=locales[code], first_published_at=opened, **PUBLIC_PAGE[code]
        )
    return PublicRequestsPage.objects.get(pk=page.pk)


def _existing(demand: Demand, author: User | None) -> CitizenRequest | None:
    if author is None:
        return CitizenRequest.objects.filter(author=None, subject=demand.subject).first()
    key = request_key(demand.key)
    return CitizenRequest.objects.filter(author=author, idempotency_key=key).first()


def _file(demand: Demand, author: User | None, desks: dict[str, RequestDesk]) -> services.Filed:
    filing = dict(
        author=author,
        kind=demand.kind,
        desk=desks[demand.institution] if demand.institution else None,
        subject=demand.subject,
        text=demand.text,
        language=demand.language,
        governorate=demand.governorate,
        municipality=demand.municipality,
        address=demand.address,
        latitude=demand.latitude,
        longitude=demand.longitude,
        public=demand.public,
        idempotency_key=request_key(demand.key),
    )
    if author is None:
        with secret_code_given(ANONYMOUS_CODE):
            return services.request_file(**filing)
    return services.request_file(**filing)


def _staff(request: CitizenRequest, role: str, everyone: dict[str, User]) -> User:
    return everyone[f"{role}.{request.desk.institution.slug}"]


def _act(step: Step, request: CitizenRequest, author: User | None, everyone: dict, desks) -> None:
    """Take one step, as the person whose step it is."""
    officer = _staff(request, "officer", everyone)
    match step.action:
        case content.ASSIGN:
            services.request_assign(actor=officer, request=request, assignee=officer)
        case content.START:
            services.request_move(actor=officer, request=request, stage="in_progress")
        case content.CLOSE:
            services.request_move(actor=officer, request=request, stage="closed")
        case content.OUT_OF_SCOPE:
            services.request_move(
                actor=officer, request=request, stage="out_of_scope", reason=step.text
            )
        case content.ASK:
            services.request_ask(actor=officer, request=request, question=step.text)
        case content.NOTE:
            services.request_note(actor=officer, request=request, text=step.text)
        case content.DRAFT:
            services.answer_draft(actor=officer, request=request, text=step.text)
        case content.SEND:
            services.answer_send(actor=_staff(request, "approver", everyone), request=request)
        case content.REDIRECT:
            services.request_redirect(
                actor=officer, request=request, desk=desks[step.to], reason=step.text
            )
        case content.PUBLISH:
            services.request_publication_moderate(actor=officer, request=request, publish=True)
        case content.REPLY:
            services.request_citizen_reply(
                user=author, request=request, text=step.text, by_code=author is None
            )
        case content.FEEDBACK:
            services.request_feedback(user=author, request=request, useful=step.useful)
        case _:
            raise ValueError(f"Unknown step {step.action!r}")


def _supports(demand: Demand, request: CitizenRequest, since: datetime.datetime, everyone) -> None:
    """Demo citizens support it, one after another between its publication and now."""
    span = timezone.now() - since
    for position, name in enumerate(demand.supporters):
        with clock_at(since + span * (position + 1) / (len(demand.supporters) + 1)):
            services.request_support(user=everyone[name], request=request)


def _reloaded(request: CitizenRequest) -> CitizenRequest:
    return CitizenRequest.objects.select_related("desk__institution").get(pk=request.pk)


def _steps_take(demand: Demand, request: CitizenRequest, *, filed_at, now, author, everyone, desks):
    """Take the steps on their days; returns when the request was published (or filed)."""
    published_at = filed_at
    for step in demand.steps:
        at = filed_at + datetime.timedelta(days=step.after_days)
        if at >= now:
            raise ValueError(f"{demand.key}: a step dated after now")
        with clock_at(at):
            _act(step, _reloaded(request), author, everyone, desks)
        if step.action == content.PUBLISH:
            published_at = at
    return published_at


def _public_life(demand: Demand, request: CitizenRequest, *, since, now, everyone) -> None:
    """Supports from demo citizens, and the discussion in the request's thread."""
    if demand.supporters:
        _supports(demand, request, since, everyone)
    if demand.discussion:
        public_page = PublicRequestsPage.objects.child_of(request.desk.institution).get()
        discussion_seed(
            thread=thread_for_page(page=public_page, section_id=request.tracking_number),
            script=list(demand.discussion),
            opened=since,
            now=now,
            people=everyone,
        )


def request_seed(demand: Demand, *, desks: dict, everyone: dict, now) -> CitizenRequest | None:
    """File ``demand`` when it says and take its steps on their days; None if it exists."""
    author = everyone[demand.author] if demand.author else None
    if _existing(demand, author) is not None:
        return None
    filed_at = now - datetime.timedelta(days=demand.filed_days_ago)
    with clock_at(filed_at):
        request = _file(demand, author, desks).request
    published_at = _steps_take(
        demand, request, filed_at=filed_at, now=now, author=author, everyone=everyone, desks=desks
    )
    request = _reloaded(request)
    if request.stage != demand.stage:
        raise ValueError(f"{demand.key}: ends {request.stage}, not {demand.stage}")
    _public_life(demand, request, since=published_at, now=now, everyone=everyone)
    return request


def _anonymous_report(report) -> None:
    anonymous = (
        CitizenRequest.objects.filter(author=None, kind="corruption").order_by("created_at").first()
    )
    if anonymous is not None:
        report(
            f"Anonymous corruption report {anonymous.tracking_number}, secret code "
            f"{ANONYMOUS_CODE} ({anonymous.get_stage_display()}): follow it with these two"
        )


def requests_seed(*, report) -> list[CitizenRequest]:
    """Desks, public pages and the demo's requests; returns the requests it filed."""
    desks = desks_ensure()
    for slug in DESKS:
        public_page_ensure(slug)
    codes = ", ".join(desk.code for desk in desks.values())
    report(f"Request desks {codes}; pages of public requests in ar, fr, en")
    everyone = people()
    now = timezone.now()
    made = []
    with filing_unlimited(), posting_unlimited():
        for demand in REQUESTS:
            request = request_seed(demand, desks=desks, everyone=everyone, now=now)
            if request is not None:
                made.append(request)
    if made:
        overdue = services.requests_overdue().count()
        report(
            f"{len(made)} citizen requests: every kind and stage, {overdue} overdue, one redirected"
        )
    else:
        report("Requests already seeded: nothing added")
    _anonymous_report(report)
    return made
