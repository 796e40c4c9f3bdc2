"""Saving a response: ``response_save``, the one way in for the form and the API."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.ratelimits import rate_limit_hit
from accounts.refusals import Invalid, NotFound, RateLimited, Refusal, Refused
from questionnaires import conf, guard
from questionnaires.answers import answers_clean
from questionnaires.blocks import Kind
from questionnaires.live import results_change_publish
from questionnaires.models import Answer, QuestionnairePage, Response, ReviewStatus
from questionnaires.rules import answer_refusal


class InvalidAnswers(Invalid):
    """Some answers cannot be accepted: ``errors`` says which, by question key."""

    def __init__(self, errors: dict):
        super().__init__(
            _("Some answers need your attention: see the messages next to the questions."),
            field=next(iter(errors)),
        )
        self.errors = errors


@dataclass(frozen=True)
class Saved:
    response: Response
    created: bool


def _rate_limit(*, user, ip_address: str) -> None:
    identities = {"ip": (ip_address or "", conf.get("QUESTIONNAIRES_ANSWER_RATE_PER_IP"))}
    if user.is_authenticated:
        identities["account"] = (str(user.pk), conf.get("QUESTIONNAIRES_ANSWER_RATE_PER_ACCOUNT"))
    exceeded = rate_limit_hit(action="questionnaire_answer", identities=identities)
    if exceeded:
        raise RateLimited(
            ngettext(
                "You are going too fast. Please wait %(seconds)d second and try again.",
                "You are going too fast. Please wait %(seconds)d seconds and try again.",
                exceeded.retry_after,
            )
            % {"seconds": exceeded.retry_after},
            retry_after=exceeded.retry_after,
        )


def response_of(*, page: QuestionnairePage, user, token: str | None = None) -> Response | None:
    """The response ``user`` (or, anonymous, the browser with ``token``) gave to ``page`` or
    to any of its translations, or None."""
    responses = Response.objects.filter(questionnaire_key=page.translation_key)
    if user.is_authenticated:
        return responses.filter(user=user).first()
    if token:
        return responses.filter(
            user=None,
            anonymous_token=guard.token_hash(questionnaire_key=page.translation_key, token=token),
        ).first()
    return None


def _answer_rows(response: Response, page: QuestionnairePage, values: dict, previous: dict):
    rows = []
    for question in page.question_list:
        if question.key not in values:
            continue
        value = values[question.key]
        if question.kind in (Kind.SINGLE,):
            rows.append(Answer(response=response, question_key=question.key, option_key=value))
        elif question.kind == Kind.MULTIPLE:
            rows += [
                Answer(response=response, question_key=question.key, option_key=key)
                for key in value
            ]
        elif question.kind == Kind.RANKING:
            rows += [
                Answer(response=response, question_key=question.key, option_key=key, rank=rank)
                for rank, key in enumerate(value, start=1)
            ]
        elif question.kind in (Kind.SCALE, Kind.NUMBER):
            rows.append(Answer(response=response, question_key=question.key, number=value))
        else:
            # A text already reviewed keeps its review while it is unchanged.
            kept = previous.get(question.key)
            if kept is not None and kept.text == value:
                rows.append(
                    Answer(
                        response=response, question_key=question.key, text=value,
                        review_status=kept.review_status, reviewed_at=kept.reviewed_at,
                        reviewed_by_id=kept.reviewed_by_id,
                    )
                )
            else:
                rows.append(
                    Answer(
                        response=response, question_key=question.key, text=value,
                        review_status=ReviewStatus.PENDING,
                    )
                )
    return rows


def response_save(
    *,
    page: QuestionnairePage,
    user,
    raw: dict,
    draft: bool = False,
    token: str | None = None,
    ip_address: str = "",
    user_agent: str = "",
    language: str = "",
) -> Saved:
    """Check and store ``user``'s answers ``raw`` to ``page`` (all its translations share one
    response per account, or per anonymous browser ``token``), as a draft or sent.

    Raises a ``Refusal`` and stores nothing when the questionnaire cannot be answered now,
    when the answers are not valid (``InvalidAnswers``), when a response sent would go back
    to being a draft, or on too many attempts. A sent response can be edited until closing.
    """
    refusal = answer_refusal(user, page)
    if refusal is not None:
        if refusal.code == "not_found":
            raise NotFound(str(refusal))
        error = Refused(str(refusal))
        error.code = refusal.code if refusal.code != "forbidden" else "forbidden"
        raise error
    anonymous = not user.is_authenticated
    if anonymous and not token:
        raise Refused(_("Your browser must accept cookies to answer anonymously."))
    existing = response_of(page=page, user=user, token=token)
    if existing is not None and not existing.is_draft:
        draft = False  # once sent, a response stays counted; it can still be edited
    cleaned = answers_clean(page.question_list, raw, draft=draft)
    if cleaned.errors:
        raise InvalidAnswers(cleaned.errors)
    if anonymous and existing is None and guard.device_seen(
        questionnaire_key=page.translation_key, ip_address=ip_address, user_agent=user_agent
    ):
        raise Refused(
            _(
                "A response to this questionnaire was already sent from this device recently. "
                "Use the same browser to change it."
            )
        )
    _rate_limit(user=user, ip_address=ip_address)

    now = timezone.now()
    try:
        with transaction.atomic():
            if existing is None:
                response = Response.objects.create(
                    questionnaire_key=page.translation_key,
                    questionnaire=page,
                    user=None if anonymous else user,
                    anonymous_token=guard.token_hash(
                        questionnaire_key=page.translation_key, token=token
                    ) if anonymous else "",
                    governorate="" if anonymous else (user.governorate or ""),
                    language=language,
                    is_draft=draft,
                    submitted_at=None if draft else now,
                )
                previous = {}
            else:
                response = Response.objects.select_for_update().get(pk=existing.pk)
                previous = {
                    answer.question_key: answer
                    for answer in response.answers.exclude(review_status="")
                }
                response.answers.all().delete()
                response.questionnaire = page
                response.language = language or response.language
                if not anonymous:
                    response.governorate = user.governorate or ""
                if response.is_draft and not draft:
                    response.submitted_at = now
                response.is_draft = draft
                response.save()
            Answer.objects.bulk_create(_answer_rows(response, page, cleaned.values, previous))
    except IntegrityError:
        # Two sends at once from one account or browser: the other one was stored.
        raise Refused(_("Your response was being saved twice at once. Reload the page.")) from None
    if not response.is_draft:
        key = page.translation_key
        # Editors watching the results see the counts change (questionnaires.live).
        transaction.on_commit(lambda: results_change_publish(questionnaire_key=key), robust=True)
    if anonymous and existing is None:
        guard.device_mark(
            questionnaire_key=page.translation_key, ip_address=ip_address, user_agent=user_agent
        )
    return Saved(response=response, created=existing is None)


__all__ = ["InvalidAnswers", "Refusal", "Saved", "response_of", "response_save"]
