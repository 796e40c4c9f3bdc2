"""Receivers only call services (CONVENTIONS.md §6): each names the sources a change touched."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from citizen_ideas.models import Idea, IdeaStatusChange, IdeaSupport
from citizen_requests.models import CitizenRequest, Support
from cms.models import InstitutionPage
from consultations.models import ConsultationPage, OutcomePage
from deliberation.models import Contribution, ModerationAction, ThreadEvent
from search.services import (
    author_sources,
    contribution_remove,
    contribution_sources,
    idea_remove,
    idea_sources,
    page_remove,
    page_sources,
    request_remove,
    request_sources,
    sources_index_on_commit,
)

# Thread events that change what a contribution's document says or whether it is found
# (reactions and pins change neither).
CONTRIBUTION_EVENTS = {
    "contribution.published",
    "contribution.edited",
    "contribution.withdrawn",
    "contribution.hidden",
    "contribution.restored",
    "contribution.official",
}


def index_published_page(sender, instance, **kwargs):
    """Published (new, edited, scheduled) or unpublished: the page and its discussions; for a
    page whose address, title or topics show on the documents beneath it (an institution, a
    consultation, an outcome), those as well."""
    sources_index_on_commit(
        keys=page_sources(page=instance, with_descendants=_shown_beneath(instance))
    )


def _shown_beneath(page) -> bool:
    return isinstance(page, InstitutionPage | ConsultationPage | OutcomePage)


def index_moved_page(sender, instance, **kwargs):
    """Moved: its address, its institution and its descendants' change."""
    sources_index_on_commit(keys=page_sources(page=instance, with_descendants=True))


def index_restricted_page(sender, instance, **kwargs):
    """A view restriction added, changed or removed: the page and all beneath it."""
    page = getattr(instance, "page", None)  # (a group's side of the m2m: nothing to do)
    if page is not None:
        sources_index_on_commit(keys=page_sources(page=page, with_descendants=True))


def remove_deleted_page(sender, instance, **kwargs):
    # A deleted page sends one signal per table of its class; the base Page row's is the one.
    if type(instance) is Page:
        page_remove(page=instance)


def index_contribution_event(sender, instance, created, **kwargs):
    if created and instance.contribution_id and instance.type in CONTRIBUTION_EVENTS:
        sources_index_on_commit(keys=contribution_sources(contribution_id=instance.contribution_id))


def index_moderated_contribution(sender, instance, created, **kwargs):
    """Every moderator's action, including those readers see no event of (a refusal)."""
    if created and instance.contribution_id:
        sources_index_on_commit(keys=contribution_sources(contribution_id=instance.contribution_id))


def index_changed_idea(sender, instance, **kwargs):
    """An idea saved (proposed, edited): its document."""
    sources_index_on_commit(keys=idea_sources(idea_id=instance.pk))


def index_idea_change(sender, instance, **kwargs):
    """A status given, a support added or withdrawn: the idea's status or count."""
    sources_index_on_commit(keys=idea_sources(idea_id=instance.idea_id))


def remove_deleted_idea(sender, instance, **kwargs):
    idea_remove(idea_id=instance.pk)


def remove_deleted_contribution(sender, instance, **kwargs):
    contribution_remove(contribution_id=instance.pk)


def index_changed_request(sender, instance, **kwargs):
    """A request saved (published, withdrawn, refused, moved on, answered, redirected): its
    document, if it is public or had one. A private request is never indexed."""
    sources_index_on_commit(keys=request_sources(request=instance))


def index_supported_request(sender, instance, created, **kwargs):
    """One more supporter: the count shown with the request's document."""
    if created:
        sources_index_on_commit(keys=request_sources(request=instance.request))


def remove_deleted_request(sender, instance, **kwargs):
    request_remove(request_id=instance.pk)


def index_renamed_author(sender, instance, update_fields=None, **kwargs):
    """A citizen changed their display name: their contributions' documents show it."""
    if update_fields is not None and "display_name" not in update_fields:
        return  # (a log-in touching last_login, say)
    sources_index_on_commit(keys=author_sources(user=instance))


def connect():
    """Connect the receivers (``SearchConfig.ready``)."""
    page_published.connect(index_published_page, dispatch_uid="search_page_published")
    page_unpublished.connect(index_published_page, dispatch_uid="search_page_unpublished")
    post_page_move.connect(index_moved_page, dispatch_uid="search_page_moved")
    page_slug_changed.connect(index_moved_page, dispatch_uid="search_page_slug_changed")
    post_delete.connect(remove_deleted_page, dispatch_uid="search_page_deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            index_restricted_page,
            sender=PageViewRestriction,
            dispatch_uid=f"search_restriction_{signal is post_save}",
        )
    m2m_changed.connect(
        index_restricted_page,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="search_restriction_groups",
    )
    post_save.connect(index_contribution_event, sender=ThreadEvent, dispatch_uid="search_event")
    post_save.connect(
        index_moderated_contribution, sender=ModerationAction, dispatch_uid="search_moderation"
    )
    post_delete.connect(
        remove_deleted_contribution, sender=Contribution, dispatch_uid="search_contribution_deleted"
    )
    post_save.connect(index_changed_request, sender=CitizenRequest, dispatch_uid="search_request")
    post_save.connect(index_supported_request, sender=Support, dispatch_uid="search_request_support")
    post_delete.connect(
        remove_deleted_request, sender=CitizenRequest, dispatch_uid="search_request_deleted"
    )
    post_save.connect(index_changed_idea, sender=Idea, dispatch_uid="search_idea")
    post_save.connect(index_idea_change, sender=IdeaStatusChange, dispatch_uid="search_idea_status")
    post_save.connect(index_idea_change, sender=IdeaSupport, dispatch_uid="search_idea_support")
    post_delete.connect(
        index_idea_change, sender=IdeaSupport, dispatch_uid="search_idea_support_withdrawn"
    )
    post_delete.connect(remove_deleted_idea, sender=Idea, dispatch_uid="search_idea_deleted")
    post_save.connect(index_renamed_author, sender=get_user_model(), dispatch_uid="search_author")
