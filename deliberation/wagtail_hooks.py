"""Deliberation in the Wagtail admin: a "Moderation" menu with the queue, the log and the
watched words, shown to the people who moderate; and no page deletion that loses a discussion."""

from django.db import transaction
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page

from cms.disclosure import count_alone
from deliberation import admin_appeals, admin_views
from deliberation.models import ForumTopicPage, WatchedWord
from deliberation.realtime.hub import watchers_here
from deliberation.selectors import forum_topics_recent, participation_totals
from deliberation.services import threads_rehome_for_page_deletion


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("deliberation.moderate")


class WatchedWordViewSet(ModelViewSet):
    """Words and phrases that block, hold or flag a contribution anywhere on the platform; kept
    by platform-wide moderators (the deliberation.*_watchedword model permissions)."""

    model = WatchedWord
    icon = "warning"
    menu_label = _("Watched words")
    form_fields = ["phrase", "language", "action"]
    list_display = [
        "phrase",
        Column(
            "language",
            label=_("Language"),
            accessor=lambda word: word.get_language_display() or gettext("All languages"),
        ),
        Column("action", label=_("What happens"), accessor="get_action_display"),
    ]
    list_filter = ["language", "action"]
    search_fields = ["phrase"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False


watched_word_viewset = WatchedWordViewSet("watched_words", url_prefix="moderation/watched-words")


@hooks.register("register_admin_viewset")
def register_watched_words():
    return watched_word_viewset


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [
        path(
            "moderation/",
            admin_views.ModerationQueueView.as_view(),
            name="deliberation_moderation_queue",
        ),
        path(
            "moderation/contributions/<int:pk>/",
            admin_views.contribution_act,
            name="deliberation_moderation_act",
        ),
        path(
            "moderation/contributions/<int:pk>/suspend-author/",
            admin_views.author_suspend,
            name="deliberation_moderation_suspend",
        ),
        path(
            "moderation/threads/<int:pk>/lock/",
            admin_views.thread_lock_set,
            name="deliberation_moderation_lock",
        ),
        path(
            "moderation/proposals/",
            admin_views.ProposalQueueView.as_view(),
            name="deliberation_moderation_proposals",
        ),
        path(
            "moderation/proposals/<int:pk>/",
            admin_views.proposal_act,
            name="deliberation_moderation_proposal_act",
        ),
        path(
            "moderation/appeals/",
            admin_appeals.AppealQueueView.as_view(),
            name="deliberation_moderation_appeals",
        ),
        path(
            "moderation/appeals/<int:pk>/",
            admin_appeals.appeal_act,
            name="deliberation_moderation_appeal_act",
        ),
        path(
            "moderation/suspensions/",
            admin_appeals.SuspensionListView.as_view(),
            name="deliberation_moderation_suspensions",
        ),
        path(
            "moderation/suspensions/<int:pk>/lift/",
            admin_appeals.suspension_lift,
            name="deliberation_moderation_lift",
        ),
        path(
            "moderation/log/",
            admin_views.ModerationLogView.as_view(),
            name="deliberation_moderation_log",
        ),
        path(
            "moderation/log/results/",
            admin_views.ModerationLogView.as_view(results_only=True),
            name="deliberation_moderation_log_results",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_moderation_menu():
    return SubmenuMenuItem(
        _("Moderation"),
        Menu(
            # Other apps add their review screens (questionnaires' free-text answers).
            register_hook_name="register_moderation_menu_item",
            items=[
                ModeratorMenuItem(
                    _("Queue"),
                    reverse("deliberation_moderation_queue"),
                    name="moderation-queue",
                    icon_name="comment",
                    order=100,
                ),
                ModeratorMenuItem(
                    _("Proposed topics"),
                    reverse("deliberation_moderation_proposals"),
                    name="moderation-proposals",
                    icon_name="comment",
                    order=150,
                ),
                ModeratorMenuItem(
                    _("Appeals"),
                    reverse("deliberation_moderation_appeals"),
                    name="moderation-appeals",
                    icon_name="help",
                    order=160,
                ),
                ModeratorMenuItem(
                    _("Suspensions"),
                    reverse("deliberation_moderation_suspensions"),
                    name="moderation-suspensions",
                    icon_name="lock",
                    order=170,
                ),
                ModeratorMenuItem(
                    _("Moderation log"),
                    reverse("deliberation_moderation_log"),
                    name="moderation-log",
                    icon_name="history",
                    order=200,
                ),
                watched_word_viewset.get_menu_item(order=300),
            ]
        ),
        name="moderation",
        icon_name="comment",
        order=250,
    )


def _refuse_deletion(request, stranded) -> None:
    count = sum(thread.contribution_count for thread in stranded)
    messages.error(
        request,
        ngettext(
            "This page has a public discussion with %(count)d contribution. Unpublish it "
            "instead; contributions are never deleted.",
            "This page has a public discussion with %(count)d contributions. Unpublish it "
            "instead; contributions are never deleted.",
            count,
        )
        % {"count": count},
    )


@hooks.register("before_delete_page")
def keep_discussions_on_page_delete(request, page):
    """Deleting a page moves its discussions to a surviving translation; when a discussion has
    none, the deletion is refused (on the confirmation page already) and nothing changes."""
    with transaction.atomic():
        stranded = threads_rehome_for_page_deletion(page=page, dry_run=request.method != "POST")
    if not stranded:
        return None
    _refuse_deletion(request, stranded)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def keep_discussions_on_bulk_page_delete(request, action_type, objects, action_class_instance):
    """The same rule for the page listing's bulk delete: all pages or none."""
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    with transaction.atomic():
        stranded = [
            thread
            for page in objects
            for thread in threads_rehome_for_page_deletion(page=page, dry_run=True)
        ]
        if not stranded and request.method == "POST":
            for page in objects:
                threads_rehome_for_page_deletion(page=page)
    if not stranded:
        return None
    _refuse_deletion(request, stranded)
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("wagtailadmin_explore_root")
    return redirect(back)


@hooks.register("institution_page_context")
def institution_forum(request, institution):
    """The institution's page lists its forum topics, with the way to propose one
    (cms.models.InstitutionPage)."""
    return {
        "forum_topics": ForumTopicPage.objects.child_of(institution)
        .live()
        .public()
        .order_by("-first_published_at"),
        "forum_propose_url": reverse("deliberation:propose", args=[institution.pk]),
    }


HOME_FORUM_TOPICS = 4


@hooks.register("home_page_context")
def home_forum(request, home_page):
    """The front door (cms.HomePage): the latest forum topics and the site's participation
    (published contributions on public pages, and their authors, small numbers hidden)."""
    return {
        "forum_topics": forum_topics_recent(
            language=home_page.locale.language_code, limit=HOME_FORUM_TOPICS
        ),
        **participation_totals(),
    }


@hooks.register("home_page_live_context")
def home_readers(request, home_page):
    """People with a discussion open now, as the thread pages' live counts have them (no
    query; a count of people: small numbers hidden, cms.disclosure)."""
    return {"readers_now": count_alone(watchers_here())}
