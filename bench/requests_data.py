"""Data for the requests benchmark, built without the tests package: two request desks, an
officer, citizens, and many requests inserted fast (``bulk_create`` in batches, one
transaction) with valid, unique tracking numbers, varied kinds, stages, governorates and
deadlines (some overdue), a line of timeline each; and one request with a realistic timeline
(six events, two attachments) to measure the pages of.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.users.models import UserProfile

from accounts.governorates import Governorate
from cms.models import InstitutionPage
from citizen_requests.models import CitizenRequest, RequestAttachment, RequestDesk, RequestEvent
from citizen_requests.roles import request_roles_ensure
from citizen_requests.stages import CLOCK_STOPPED, FINISHED, EventKind, Kind, Stage
from citizen_requests.tracking import secret_code_digest, tracking_number_new

BATCH = 5_000
SPAN_DAYS = 730  # requests filed over two years
RECENT_DAYS = 60  # older requests are mostly finished
SUBJECTS = [
    ("ar", "الماء مقطوع في حي النور", "الماء مقطوع منذ ثلاثة أيام في حي النور، ولا أحد يجيب."),
    ("ar", "إنارة الشارع معطلة", "الإنارة العمومية في نهج الحرية معطلة منذ شهر."),
    ("fr", "Dépôt sauvage près de l'école", "Des ordures s'accumulent devant l'école primaire depuis deux semaines."),
    ("fr", "Demande de renseignement : permis de bâtir", "Quels documents faut-il pour un permis de bâtir ?"),
    ("en", "Pothole on the main road", "A deep pothole on the main road near the market damages cars."),
]
OPEN = [Stage.RECEIVED, Stage.ASSIGNED, Stage.IN_PROGRESS, Stage.WAITING]
DONE = [Stage.ANSWERED, Stage.CLOSED, Stage.OUT_OF_SCOPE]


@dataclass
class RequestsSite:
    desk: RequestDesk
    other_desk: RequestDesk
    officer: object
    citizen: object
    authors: list
    measured: CitizenRequest | None = None
    numbers: set | None = None


def _admin_in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def requests_site_build(institution: InstitutionPage, *, citizens: int = 50) -> RequestsSite:
    """The institution's desk (KEF, with its officers' group and an officer whose admin speaks
    English), a ministry's desk (MIN), and ``citizens`` accounts, the first being the citizen
    whose request is measured."""
    desk = RequestDesk.objects.create(institution=institution, code="KEF")
    group = request_roles_ensure(desk=desk)
    ministry = institution.get_parent().add_child(
        instance=InstitutionPage(title="وزارة التجهيز", slug="ministere-equipement", kind="ministry")
    )
    ministry.save_revision().publish()
    other_desk = RequestDesk.objects.create(institution=ministry, code="MIN")
    request_roles_ensure(desk=other_desk)
    User = get_user_model()
    officer = User.objects.create_user("officer@bench.tn", "x" * 12, display_name="Salma Officer")
    officer.groups.add(group)
    _admin_in_english(officer)
    citizen = User.objects.create_user("citizen@bench.tn", "x" * 12, display_name="مواطن")
    others = User.objects.bulk_create(
        [User(email=f"citizen{i}@bench.tn", display_name=f"مواطن {i}", password="!") for i in range(1, citizens)]
    )
    return RequestsSite(desk=desk, other_desk=other_desk, officer=officer, citizen=citizen,
                        authors=[citizen, *others], numbers=set())


def _numbers(site: RequestsSite, count: int, year: int, desk: RequestDesk | None = None) -> list[str]:
    """``count`` tracking numbers never used before in ``site`` (a draw may repeat one); one
    in five of the ministry's desk unless ``desk`` is given."""
    made = []
    while len(made) < count:
        desk_ = desk or (site.desk if len(made) % 5 else site.other_desk)
        number = tracking_number_new(prefix=desk_.code, year=year)
        if number not in site.numbers:
            site.numbers.add(number)
            made.append(number)
    return made


def _stage(rng: random.Random, age_days: float) -> str:
    if age_days > RECENT_DAYS:
        return rng.choice(OPEN) if rng.random() < 0.08 else rng.choice(DONE)
    return rng.choice(OPEN + OPEN + DONE)


def _row(rng, number, site, now) -> CitizenRequest:
    age = rng.uniform(0, SPAN_DAYS)
    created = now - datetime.timedelta(days=age)
    stage = _stage(rng, age)
    kind = rng.choice(Kind.values)
    language, subject, text = rng.choice(SUBJECTS)
    author = None if kind == Kind.CORRUPTION and rng.random() < 0.5 else rng.choice(site.authors)
    working = stage != Stage.RECEIVED
    return CitizenRequest(
        tracking_number=number,
        secret_digest="0" * 64,  # nobody follows these by code
        kind=kind,
        desk=site.other_desk if number.startswith(site.other_desk.code) else site.desk,
        author=author,
        language=language,
        subject=subject,
        text=text,
        governorate=rng.choice(Governorate.values + [""]),
        stage=stage,
        assignee=site.officer if working else None,
        created_at=created,
        updated_at=created,
        due_at=created + datetime.timedelta(days=rng.choice((15, 30, 60))),
        waiting_since=created if stage == Stage.WAITING else None,
        answered_at=created + datetime.timedelta(days=10) if stage in FINISHED else None,
        notify=author is not None,
    )


def requests_fill(site: RequestsSite, *, count: int, seed: int = 7) -> None:
    """Add ``count`` requests with a "filed" event each (and an "assigned" one for those
    past the reception), in batches of ``BATCH`` inside one transaction."""
    rng = random.Random(seed + len(site.numbers))
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            rows = [_row(rng, number, site, now) for number in _numbers(site, size, now.year)]
            CitizenRequest.objects.bulk_create(rows)
            events = []
            for row in rows:
                events.append(RequestEvent(request=row, kind=EventKind.FILED, at=row.created_at,
                                           stage=Stage.RECEIVED, actor=row.author, by_citizen=True))
                if row.assignee_id:
                    events.append(RequestEvent(
                        request=row, kind=EventKind.ASSIGNED, stage=Stage.ASSIGNED, actor=site.officer,
                        at=row.created_at + datetime.timedelta(hours=3), public=True,
                    ))
            RequestEvent.objects.bulk_create(events)


def measured_request(site: RequestsSite) -> CitizenRequest:
    """The citizen's complaint, in progress and due in a week, with six events (filed with a
    photo, assigned, in progress, a question, the citizen's reply with a PDF, an internal note)
    and two attachments."""
    now = timezone.now()
    filed = now - datetime.timedelta(days=23)
    number = _numbers(site, 1, now.year, desk=site.desk)[0]
    request = CitizenRequest.objects.create(
        tracking_number=number, secret_digest=secret_code_digest(number=number, code="4X7K-2M9Q"),
        kind=Kind.COMPLAINT, desk=site.desk, author=site.citizen, language="ar",
        subject=SUBJECTS[0][1], text=SUBJECTS[0][2], governorate="TN-33", municipality="الكاف",
        address="نهج الحرية 12", stage=Stage.IN_PROGRESS, assignee=site.officer,
        created_at=filed, updated_at=now - datetime.timedelta(days=2),
        due_at=filed + datetime.timedelta(days=30), notify=True,
    )
    officer, citizen = site.officer, site.citizen
    specs = [
        (EventKind.FILED, 0, Stage.RECEIVED, citizen, True, True, ""),
        (EventKind.ASSIGNED, 1, Stage.ASSIGNED, officer, False, True, ""),
        (EventKind.STAGE, 2, Stage.IN_PROGRESS, officer, False, True, ""),
        (EventKind.QUESTION, 5, Stage.WAITING, officer, False, True, "في أي ساعة ينقطع الماء عادة؟"),
        (EventKind.CITIZEN_REPLY, 7, Stage.IN_PROGRESS, citizen, True, True, "من السادسة صباحاً إلى المساء."),
        (EventKind.NOTE, 21, "", officer, False, False, "أحيل الملف إلى الصوناد للمتابعة."),
    ]
    events = RequestEvent.objects.bulk_create([
        RequestEvent(request=request, kind=kind, at=filed + datetime.timedelta(days=days), stage=stage,
                     actor=actor, by_citizen=by_citizen, public=public, text=text)
        for kind, days, stage, actor, by_citizen, public, text in specs
    ])
    RequestAttachment.objects.bulk_create([
        RequestAttachment(request=request, event=events[0], name="photo-compteur.jpg", content_type="image/jpeg",
                          size=184_320, sha256="a" * 64, file=f"{request.pk}/photo", created_at=filed),
        RequestAttachment(request=request, event=events[4], name="facture-sonede.pdf", content_type="application/pdf",
                          size=96_256, sha256="b" * 64, file=f"{request.pk}/facture", created_at=events[4].at),
    ])
    assert request.stage not in CLOCK_STOPPED
    site.measured = request
    return request
