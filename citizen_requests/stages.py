"""The stages a request goes through, and who may move it from one to the next.

The workflow is data (like consultations' phases): ``TRANSITIONS`` lists every allowed move
with the role that may make it; anything else is refused with a message and changes nothing.
docs/requests.md draws it and maps it onto Open311's open/closed and FixMyStreet's states.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    GUIDANCE = "guidance", _("Request for guidance")
    SUGGESTION = "suggestion", _("Suggestion")
    NOTICE = "notice", _("Notice of a problem")
    CORRUPTION = "corruption", _("Corruption report")


# Kinds their author may make public (after moderation); the others never are.
PUBLIC_KINDS = frozenset({Kind.SUGGESTION, Kind.NOTICE})
# Kinds that may be filed without an account, with nothing identifying kept.
ANONYMOUS_KINDS = frozenset({Kind.CORRUPTION})


class Stage(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the citizen")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


# The deadline clock stops in these stages (paused while waiting; done in the others).
CLOCK_STOPPED = frozenset({Stage.WAITING, Stage.ANSWERED, Stage.CLOSED, Stage.OUT_OF_SCOPE})
FINISHED = frozenset({Stage.ANSWERED, Stage.CLOSED, Stage.OUT_OF_SCOPE})


class Role(models.TextChoices):
    OFFICER = "officer", _("officer")
    APPROVER = "approver", _("approver")
    CITIZEN = "citizen", _("citizen")


# (from, to) -> the roles that may make the move. An approver may do what an officer may.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (Stage.RECEIVED, Stage.ASSIGNED): frozenset({Role.OFFICER}),
    (Stage.RECEIVED, Stage.OUT_OF_SCOPE): frozenset({Role.OFFICER}),
    (Stage.ASSIGNED, Stage.ASSIGNED): frozenset({Role.OFFICER}),  # to someone else
    (Stage.ASSIGNED, Stage.IN_PROGRESS): frozenset({Role.OFFICER}),
    (Stage.ASSIGNED, Stage.WAITING): frozenset({Role.OFFICER}),
    (Stage.ASSIGNED, Stage.OUT_OF_SCOPE): frozenset({Role.OFFICER}),
    (Stage.IN_PROGRESS, Stage.ASSIGNED): frozenset({Role.OFFICER}),
    (Stage.IN_PROGRESS, Stage.WAITING): frozenset({Role.OFFICER}),
    (Stage.IN_PROGRESS, Stage.OUT_OF_SCOPE): frozenset({Role.OFFICER}),
    (Stage.WAITING, Stage.IN_PROGRESS): frozenset({Role.OFFICER, Role.CITIZEN}),
    # Only an approver sends an answer (an officer drafts it).
    (Stage.ASSIGNED, Stage.ANSWERED): frozenset({Role.APPROVER}),
    (Stage.IN_PROGRESS, Stage.ANSWERED): frozenset({Role.APPROVER}),
    (Stage.ANSWERED, Stage.CLOSED): frozenset({Role.OFFICER, Role.CITIZEN}),
    (Stage.OUT_OF_SCOPE, Stage.CLOSED): frozenset({Role.OFFICER}),
    # Reopened once, by the citizen, within CITIZEN_REQUESTS_REOPEN_DAYS of the answer.
    (Stage.ANSWERED, Stage.IN_PROGRESS): frozenset({Role.CITIZEN}),
    (Stage.CLOSED, Stage.IN_PROGRESS): frozenset({Role.CITIZEN}),
}


def may_move(*, from_stage: str, to_stage: str, role: str) -> bool:
    roles = TRANSITIONS.get((from_stage, to_stage), frozenset())
    return role in roles or (role == Role.APPROVER and Role.OFFICER in roles)


class EventKind(models.TextChoices):
    FILED = "filed", _("Filed")
    STAGE = "stage", _("Stage changed")
    ASSIGNED = "assigned", _("Assigned")
    REDIRECTED = "redirected", _("Redirected")
    QUESTION = "question", _("Question to the citizen")
    CITIZEN_REPLY = "citizen_reply", _("Reply from the citizen")
    INFORMATION = "information", _("Information added by the citizen")
    ANSWER_DRAFTED = "answer_drafted", _("Answer drafted")
    ANSWER_SENT = "answer_sent", _("Answer sent")
    FEEDBACK = "feedback", _("Citizen's feedback")
    REOPENED = "reopened", _("Reopened")
    NOTE = "note", _("Internal note")
    PUBLICATION = "publication", _("Publication")
