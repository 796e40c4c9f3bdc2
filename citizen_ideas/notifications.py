"""E-mails about ideas, in each recipient's language.

``statuses.idea_status_change`` calls ``idea_status_send`` after the change commits: the
idea's author and each supporter get one e-mail (an author who also supports it, one), if
they keep ``notify_outcomes`` on (the setting "outcomes, decisions and answers to ideas": what
the institution did with what they said), are active, and may still read the idea. One failed address does not
stop the others.
"""

import logging

from django.core.mail import get_connection
from django.db.models import Q

from accounts.mail import absolute_url, user_language, user_mail_send
from accounts.models import User
from citizen_ideas.links import idea_url
from citizen_ideas.models import IdeaStatus, IdeaStatusChange
from cms.rules import page_access

logger = logging.getLogger(__name__)
FOLDER = "citizen_ideas/email"


def idea_status_recipients(idea) -> list[User]:
    """The author and the supporters of ``idea`` who want these e-mails, each once."""
    return list(
        User.objects.filter(Q(pk=idea.author_id) | Q(idea_supports__idea=idea))
        .filter(is_active=True, notify_outcomes=True)
        .prefetch_related("groups")
        .distinct()
        .order_by("pk")
    )


def idea_status_send(change_id: int) -> int:
    """Tell the author and supporters of the idea of status change ``change_id`` its new
    status and reason. Returns how many e-mails were sent."""
    change = IdeaStatusChange.objects.select_related("idea__thread__page").filter(pk=change_id).first()
    if change is None:
        return 0
    idea = change.idea
    access = page_access(idea.thread.page)  # the page the idea was sent to
    sent = 0
    with get_connection() as connection:
        for user in idea_status_recipients(idea):
            if access.refusal_for(user) is not None:
                continue
            try:
                user_mail_send(
                    user=user,
                    folder=FOLDER,
                    template="status",
                    context={
                        "title": idea.title,
                        "status": IdeaStatus(change.status).label,
                        "reason": change.reason,
                        "is_author": user.pk == idea.author_id,
                        "link": absolute_url(idea_url(idea, user_language(user))),
                    },
                    connection=connection,
                )
            except Exception:
                logger.exception("Idea status email to user %s not sent", user.pk)
                continue
            sent += 1
    return sent
