"""Keeping the search index true to what is published.

Signal receivers (signal_handlers.py) only call ``sources_index_on_commit`` with the keys of
the sources that changed. After the change commits, each source's document is computed afresh
(documents.py) and written, or removed when it must no longer be found, then mirrored to the
backend. Indexing never fails the change that caused it: an error is logged, the source is
kept as a ``PendingIndexOperation``, and retried a few at a time by a later indexing call (at
most once a minute per process) and by ``rebuild_search_index --pending``; after the engine
fails it is left alone for 30 s, the rows still written.
"""

import datetime
import logging
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.utils import timezone

from citizen_ideas.models import Idea
from citizen_requests.models import CitizenRequest, Publicity, PublicRequestsPage
from citizen_requests.stages import PUBLIC_KINDS
from cms.models import InstitutionPage, PolicyPage
from consultations.models import ConsultationPage, DecisionPage, OutcomePage
from deliberation.models import Contribution, ForumTopicPage, Status, Thread
from questionnaires.models import QuestionnairePage
from search import conf
from search.backends import get_backend
from search.documents import (
    DocumentData,
    contribution_key,
    document_for,
    documents_prefetch,
    idea_key,
    is_public_request,
    page_key,
    request_key,
)
from search.models import Kind, PendingIndexOperation, SearchDocument

logger = logging.getLogger(__name__)


def document_save(*, data: DocumentData, current: SearchDocument | None = None) -> SearchDocument:
    """Write one document (in the caller's transaction); a row already saying the same is
    left alone (``current``: the row as read, when the caller has it)."""
    fields = data.fields()
    if current is not None:
        if all(getattr(current, name) == value for name, value in fields.items()):
            return current
        for name, value in fields.items():
            setattr(current, name, value)
        current.save()
        return current
    document, _ = SearchDocument.objects.update_or_create(key=data.key, defaults=fields)
    return document


def sources_index(*, keys: Iterable[str]) -> None:
    """Bring the documents of these sources up to date, in the database and the backend.
    Raises if the backend fails (the rows are then already right; ``sources_index_safely``
    keeps the keys for a retry)."""
    keys = list(dict.fromkeys(keys))
    saved, gone = [], []
    for start in range(0, len(keys), BATCH_SIZE):
        batch_saved, batch_gone = _batch_write(keys[start : start + BATCH_SIZE])
        saved += batch_saved
        gone += batch_gone
    if _backend_paused():
        raise BackendPaused("The search engine failed a moment ago; kept for a retry.")
    backend = get_backend()
    try:
        if saved:
            backend.index(saved)
        if gone:
            backend.delete(gone)
    except Exception:
        _backend_pause()
        raise
    PendingIndexOperation.objects.filter(key__in=keys).delete()


def _batch_write(keys: list[str]) -> tuple[list[SearchDocument], list[str]]:
    """Write the documents of one batch of sources and delete the rows of those that must no
    longer be found, in one transaction; (rows written, keys gone)."""
    saved, gone = [], []
    with transaction.atomic():
        memo = documents_prefetch(keys=keys)
        current = SearchDocument.objects.in_bulk(keys, field_name="key")
        for key in keys:
            data = document_for(key, memo=memo)
            if data is None:
                gone.append(key)
            else:
                saved.append(document_save(data=data, current=current.get(key)))
        SearchDocument.objects.filter(key__in=gone).delete()
    return saved, gone


BATCH_SIZE = 200
# After the engine fails, indexing writes the rows and keeps the keys for this long without
# calling it again, so a citizen's post never waits on an engine that is down.
PAUSE = datetime.timedelta(seconds=30)
_paused_until: datetime.datetime | None = None
# Pending retries ride along with a successful indexing at most this often (per process).
RETRY_INTERVAL = datetime.timedelta(seconds=60)
_last_retry: datetime.datetime | None = None


class BackendPaused(RuntimeError):
    pass


def _backend_paused() -> bool:
    return _paused_until is not None and timezone.now() < _paused_until


def _backend_pause() -> None:
    global _paused_until
    _paused_until = timezone.now() + PAUSE


def sources_index_safely(*, keys: Iterable[str]) -> bool:
    """``sources_index`` that never raises: a failure is logged and the keys kept for a retry.
    Then, at most once a minute, retries a few keys kept earlier. True when these keys were
    indexed."""
    global _last_retry
    keys = list(keys)
    try:
        sources_index(keys=keys)
    except Exception as error:  # noqa: BLE001 - indexing must never break the change itself
        if isinstance(error, BackendPaused):
            logger.warning("Search engine paused; %s kept for a retry", ", ".join(keys))
        else:
            logger.exception("Search indexing failed for %s; kept for a retry", ", ".join(keys))
        _pending_record(keys=keys, error=error)
        return False
    now = timezone.now()
    if _last_retry is None or now - _last_retry >= RETRY_INTERVAL:
        _last_retry = now
        if PendingIndexOperation.objects.exists():
            pending_retry(limit=conf.get("SEARCH_RETRY_BATCH"))
    return True


def _pending_record(*, keys: list[str], error: Exception) -> None:
    try:
        for key in keys:
            operation, _ = PendingIndexOperation.objects.get_or_create(key=key)
            operation.attempts += 1
            operation.last_error = repr(error)[:2000]
            operation.save(update_fields=["attempts", "last_error", "updated_at"])
    except Exception:  # noqa: BLE001 - the database itself may be what failed
        logger.exception("Could not keep %s for a search retry", ", ".join(keys))


def pending_retry(*, limit: int | None = None) -> int:
    """Retry indexing kept after a failure, oldest first; gives up on a key after
    ``SEARCH_MAX_ATTEMPTS`` (logged as an error). Returns how many were indexed."""
    operations = PendingIndexOperation.objects.order_by("updated_at")
    if limit is not None:
        operations = operations[:limit]
    done = 0
    for operation in list(operations):
        if operation.attempts >= conf.get("SEARCH_MAX_ATTEMPTS"):
            logger.error(
                "Search indexing of %s failed %d times; run rebuild_search_index",
                operation.key,
                operation.attempts,
            )
            operation.delete()
            continue
        try:
            sources_index(keys=[operation.key])
            done += 1
        except Exception as error:  # noqa: BLE001
            logger.warning("Search retry of %s failed again: %r", operation.key, error)
            _pending_record(keys=[operation.key], error=error)
            if isinstance(error, BackendPaused):
                break
    return done


def sources_index_on_commit(*, keys: Iterable[str]) -> None:
    """Index these sources once the current transaction commits (at once outside one)."""
    keys = list(keys)
    if keys:
        transaction.on_commit(lambda: sources_index_safely(keys=keys), robust=True)


# --- which sources a change touches ---------------------------------------------------------


def page_sources(*, page, with_descendants: bool = False) -> list[str]:
    """The page's own key, its descendants' (a move or a view restriction changes them too),
    its consultation's translations for an outcome, and the contributions of the discussions it
    holds (their title, address and visibility follow the page)."""
    pages = [page]
    if isinstance(page, OutcomePage):
        # Publishing or withdrawing an outcome changes the phase of every translation of its
        # consultation.
        pages += list(page.get_parent().get_translations(inclusive=True))
    if with_descendants:
        pages += list(page.get_descendants())
    keys = [page_key(each.pk) for each in pages]
    translation_keys = [each.translation_key for each in pages]
    threads = Thread.objects.filter(translation_key__in=translation_keys)
    keys += [
        contribution_key(pk)
        for pk in Contribution.objects.filter(thread__in=threads, status=Status.PUBLISHED)
        .values_list("pk", flat=True)
        .iterator()
    ]
    # A contribution that left (hidden since, say) has a row to remove as well.
    keys += list(
        SearchDocument.objects.filter(
            key__in=[
                contribution_key(pk)
                for pk in Contribution.objects.filter(thread__in=threads)
                .exclude(status=Status.PUBLISHED)
                .values_list("pk", flat=True)
            ]
        ).values_list("key", flat=True)
    )
    # The ideas sent within these pages (their threads are the pages'), found or no more.
    keys += [
        idea_key(pk)
        for pk in Idea.objects.filter(thread__in=threads).values_list("pk", flat=True).iterator()
    ]
    return keys + _requests_page_sources(pages)


def _public_requests():
    return CitizenRequest.objects.filter(publicity=Publicity.PUBLIC, kind__in=list(PUBLIC_KINDS))


def _requests_page_sources(pages) -> list[str]:
    """The requests shown on the public requests pages among ``pages`` (their address and
    whether they are found follow the page): the public ones, and those with a document."""
    institutions = [
        page.get_parent() for page in pages if page.specific_class is PublicRequestsPage
    ]
    if not institutions:
        return []
    translation_keys = {institution.translation_key for institution in institutions}
    slugs = InstitutionPage.objects.filter(translation_key__in=translation_keys).values_list(
        "slug", flat=True
    )
    public = _public_requests().filter(desk__institution__translation_key__in=translation_keys)
    keys = [request_key(pk) for pk in public.values_list("pk", flat=True).iterator()]
    keys += list(
        SearchDocument.objects.filter(kind=Kind.REQUEST, institution__in=list(slugs)).values_list(
            "key", flat=True
        )
    )
    return keys


def request_sources(*, request) -> list[str]:
    """A request changed (its publicity, stage, answer, institution, supporters): its key if
    it is public now or has a document to remove; a private request is never touched."""
    key = request_key(request.pk)
    if is_public_request(request) or SearchDocument.objects.filter(key=key).exists():
        return [key]
    return []


def contribution_sources(*, contribution_id: int) -> list[str]:
    """A contribution changed (published, edited, hidden…): its key, and its idea's when it
    is an idea's text."""
    keys = [contribution_key(contribution_id)]
    keys += [idea_key(pk) for pk in Idea.objects.filter(opening_id=contribution_id).values_list("pk", flat=True)]
    return keys


def idea_sources(*, idea_id: int) -> list[str]:
    """An idea changed (proposed, given a status, supported): its key (its document is
    written, or removed when it must not be found)."""
    return [idea_key(idea_id)]


def author_sources(*, user) -> list[str]:
    """The documents of ``user``'s contributions that do not show their current name."""
    keys = [
        contribution_key(pk)
        for pk in Contribution.objects.filter(author=user, status=Status.PUBLISHED).values_list(
            "pk", flat=True
        )
    ]
    keys += [
        idea_key(pk)
        for pk in Idea.objects.filter(author=user).values_list("pk", flat=True)
    ]
    stale = SearchDocument.objects.filter(key__in=keys).exclude(extra__author=user.display_name)
    return list(stale.values_list("key", flat=True)) if keys else []


def page_remove(*, page) -> None:
    """A deleted page: its document goes at once; the contributions of its discussions (moved
    to a surviving translation) are indexed again with their new address."""
    key = page_key(page.pk)
    SearchDocument.objects.filter(key=key).delete()
    transaction.on_commit(lambda: _backend_delete_safely([key]), robust=True)
    sources_index_on_commit(keys=[each for each in page_sources(page=page) if each != key])


def contribution_remove(*, contribution_id: int) -> None:
    _key_remove(contribution_key(contribution_id))


def idea_remove(*, idea_id: int) -> None:
    """A deleted idea: its document, if it had one, goes at once."""
    key = idea_key(idea_id)
    if SearchDocument.objects.filter(key=key).exists():
        _key_remove(key)


def request_remove(*, request_id: int) -> None:
    """A deleted request: its document, if it had one, goes at once."""
    key = request_key(request_id)
    if SearchDocument.objects.filter(key=key).exists():
        _key_remove(key)


def _key_remove(key: str) -> None:
    SearchDocument.objects.filter(key=key).delete()
    transaction.on_commit(lambda: _backend_delete_safely([key]), robust=True)


def _backend_delete_safely(keys: list[str]) -> None:
    try:
        get_backend().delete(keys)
    except Exception as error:  # noqa: BLE001
        logger.exception("Search deletion failed for %s; kept for a retry", ", ".join(keys))
        _pending_record(keys=keys, error=error)


# --- rebuilding ------------------------------------------------------------------------------


def all_sources() -> Iterator[str]:
    """Every source that may have a document: searched pages that are live, published
    contributions, public suggestions and notices, and published ideas."""
    for model in (
        DecisionPage, OutcomePage, ConsultationPage, PolicyPage, ForumTopicPage, QuestionnairePage
    ):
        for pk in model.objects.live().order_by("pk").values_list("pk", flat=True).iterator():
            yield page_key(pk)
    published = Contribution.objects.filter(status=Status.PUBLISHED).order_by("pk")
    for pk in published.values_list("pk", flat=True).iterator():
        yield contribution_key(pk)
    for pk in _public_requests().order_by("pk").values_list("pk", flat=True).iterator():
        yield request_key(pk)
    for pk in Idea.objects.visible().order_by("pk").values_list("pk", flat=True).iterator():
        yield idea_key(pk)


def search_index_rebuild(*, progress=None) -> int:
    """Recompute every document, drop the rows of sources that are gone, and rebuild the
    backend's index from the rows (Elasticsearch: a new index swapped in by alias, so searches
    keep working meanwhile). ``progress`` is a progress bar (``tqdm``-like: ``total``,
    ``update(n)``, ``refresh()``): one step per source, then one per document handed to the
    backend. Returns the number of documents."""
    keys = list(all_sources())
    if progress is not None:
        progress.total = len(keys) * 2
        progress.refresh()
    seen = set()
    for start in range(0, len(keys), BATCH_SIZE):
        batch = keys[start : start + BATCH_SIZE]
        saved, _gone = _batch_write(batch)
        seen.update(document.key for document in saved)
        if progress is not None:
            progress.update(len(batch))
    _delete_unseen(seen)
    PendingIndexOperation.objects.all().delete()
    if progress is not None:
        progress.total = len(keys) + len(seen)
        progress.refresh()
    documents = SearchDocument.objects.order_by("pk")
    get_backend().rebuild(
        documents.iterator(chunk_size=500),
        total=len(seen),
        progress=progress.update if progress is not None else None,
    )
    return len(seen)


def _delete_unseen(seen: set[str]) -> None:
    stale = [
        key for key in SearchDocument.objects.values_list("key", flat=True).iterator() if key not in seen
    ]
    for start in range(0, len(stale), 500):
        SearchDocument.objects.filter(key__in=stale[start : start + 500]).delete()
