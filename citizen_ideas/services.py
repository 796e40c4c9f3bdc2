"""What citizens do with ideas: propose one, support it, withdraw their support.

Each service checks permission and input, applies deliberation's moderation policy to the
idea's text (it is the opening contribution of the idea's thread) and changes nothing when it
refuses: it raises one of deliberation's refusals, translated for the person who caused it.
"""

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from citizen_ideas import conf
from citizen_ideas import rules as idea_rules
from citizen_ideas.live import idea_counts_publish_on_commit
from citizen_ideas.models import Idea, IdeaAttachment, IdeaSupport
from citizen_ideas.storage import idea_attachment_storage
from deliberation.markup import normalise_text
from deliberation.services import (
    Invalid,
    contribution_post,
    thread_for_idea,
)
from deliberation.services.checks import rate_limit, refuse_if, refuse_lone_surrogates
from uploads.checks import Upload, uploads_check

TITLE_MAX = 140


def _clean_title(title: str) -> str:
    refuse_lone_surrogates(title or "", field="title")
    text = " ".join(normalise_text(title or "").split())
    if not text:
        raise Invalid(_("Give your idea a title."), field="title")
    if len(text) > TITLE_MAX:
        raise Invalid(
            _("A title can be at most %(limit)d characters long (this one has %(length)d).")
            % {"limit": TITLE_MAX, "length": len(text)},
            field="title",
        )
    return text


def _check_places(*, institution, consultation, topic) -> None:
    if topic is not None and topic.get_parent().translation_key != institution.translation_key:
        raise Invalid(_("This forum topic does not belong to this institution."), field="topic")


def idea_propose(
    *,
    author,
    institution,
    title: str,
    body: str,
    consultation=None,
    topic=None,
    idempotency_key: uuid.UUID | None = None,
    ip_address: str | None = None,
    language: str = "",
    files=(),
) -> Idea:
    """Propose an idea to ``institution`` (within ``consultation`` or ``topic`` if given),
    with ``files`` attached (PDF, JPEG or PNG, within ``CITIZEN_IDEAS_MAX_ATTACHMENT…``).

    Its text goes through deliberation's moderation like any contribution: published at
    once, or held for a moderator (newcomers, pre-moderated pages, watched words, the title
    included). The same ``idempotency_key`` gives back the first idea. Raises a
    DeliberationError and stores nothing when refused.
    """
    idempotency_key = idempotency_key or uuid.uuid4()
    if author.is_authenticated:
        existing = Idea.objects.filter(
            author=author, opening__idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
    if consultation is not None:
        institution = consultation.get_parent().specific
    _check_places(institution=institution, consultation=consultation, topic=topic)
    refuse_if(
        idea_rules.propose_refusal(
            author, institution=institution, consultation=consultation, topic=topic
        )
    )
    clean_title = _clean_title(title)
    uploads, problem = uploads_check(
        files,
        most=conf.get("CITIZEN_IDEAS_MAX_ATTACHMENTS"),
        largest=conf.get("CITIZEN_IDEAS_MAX_ATTACHMENT_BYTES"),
    )
    if problem:
        raise Invalid(problem, field="attachments")
    idea = Idea(
        institution=institution, consultation=consultation, topic=topic, title=clean_title,
        author=author,
    )
    page = idea_rules.idea_page(institution=institution, consultation=consultation, topic=topic)
    written: list[str] = []
    try:
        with transaction.atomic():
            thread = thread_for_idea(page=page, institution=institution, idea_key=idea.key.hex)
            result = contribution_post(
                author=author, thread=thread, body=body, idempotency_key=idempotency_key,
                ip_address=ip_address, language=language, screened_with=clean_title,
            )
            if not result.created:  # the key was used for a contribution elsewhere
                raise Invalid(_("This submission key was already used for another contribution."))
            idea.thread, idea.opening = thread, result.contribution
            idea.created_at = result.contribution.created_at
            idea.save()
            _attachments_store(idea, uploads, written=written)
    except BaseException:
        storage = idea_attachment_storage()
        for name in written:  # the idea is not stored: neither are its files
            storage.delete(name)
        raise
    return idea


def _attachments_store(idea: Idea, uploads: list[Upload], *, written: list[str]) -> None:
    """Keep ``uploads`` with ``idea``, adding the name of each file written to ``written`` (for
    the caller to remove if its transaction fails, even halfway)."""
    for upload in uploads:
        attachment = IdeaAttachment(
            idea=idea, name=upload.name, content_type=upload.content_type,
            size=len(upload.content), sha256=hashlib.sha256(upload.content).hexdigest(),
        )
        attachment.file.save(upload.name, ContentFile(upload.content), save=False)
        written.append(attachment.file.name)
        attachment.save()


def idea_support(*, user, idea: Idea, ip_address: str | None = None) -> Idea:
    """Count ``user``'s support of ``idea`` (once per account); the lists learn the new count
    once committed (citizen_ideas.live). Raises Invalid when they already support it, Refused
    when they may not take part."""
    refuse_if(idea_rules.support_refusal(user, idea))
    if IdeaSupport.objects.filter(idea=idea, user=user).exists():
        raise Invalid(_("You already support this idea."), field="support")
    rate_limit(action="react", user=user, ip_address=ip_address)
    try:
        with transaction.atomic():
            IdeaSupport.objects.create(idea=idea, user=user, created_at=timezone.now())
            Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
            idea_counts_publish_on_commit(idea_id=idea.pk)  # the lists, live
    except IntegrityError:  # a concurrent request of the same account won
        raise Invalid(_("You already support this idea."), field="support") from None
    idea.refresh_from_db(fields=["support_count"])
    return idea


def idea_support_withdraw(*, user, idea: Idea) -> Idea:
    """Withdraw ``user``'s support of ``idea``. Raises Invalid when they do not support it."""
    with transaction.atomic():
        deleted, _rows = IdeaSupport.objects.filter(idea=idea, user=user).delete()
        if not deleted:
            raise Invalid(_("You do not support this idea."), field="support")
        Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
        idea_counts_publish_on_commit(idea_id=idea.pk)
    idea.refresh_from_db(fields=["support_count"])
    return idea
