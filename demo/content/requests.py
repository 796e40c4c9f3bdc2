"""Citizens' requests to the demo institutions: what each citizen wrote, and what the
institution then did with it, step by step, until the stage it has reached today.

Authors are the part of a demo address before "@majlis.test" ("" for an anonymous report);
an institution "" means the citizen did not know whom to ask (the triage desk receives it).
Steps are dated in days after the filing; "officer" steps are taken by the desk's officer,
answers are sent by its approver. Kinds and stages are ``citizen_requests.stages`` values.
The requests themselves are in ``requests_el_kef`` and ``requests_national``.
"""

from dataclasses import dataclass

# Each institution's request desk: its tracking number code and the deadlines it sets itself
# (the others are the platform's defaults). The Central Office takes "I don't know" requests.
DESKS = {
    "bcrc": {"code": "BCRC", "is_triage": True, "guidance_days": 10},
    "agriculture-water": {"code": "AGRI", "complaint_days": 20},
    "el-kef": {"code": "KEF", "complaint_days": 21, "guidance_days": 10, "notice_days": 7},
}

# The anonymous report's secret code, published with the demo like its password, so that a
# visitor can follow the report (and answer the officer's question) with its number.
ANONYMOUS_CODE = "DEM0-2026"

# The page of public suggestions and notices under each institution.
PUBLIC_PAGE = {
    "slug": "public-requests",
    "opened_days_ago": 60,
    "ar": {
        "title": "اقتراحات وإشعارات المواطنين",
        "intro": "<p>الاقتراحات والإشعارات التي طلب أصحابها نشرها. يمكنك مساندتها ومناقشتها، ومتابعة ما تفعله المؤسسة بها.</p>",
    },
    "fr": {
        "title": "Suggestions et signalements des citoyens",
        "intro": "<p>Les suggestions et signalements que leurs auteurs ont demandé à publier. Vous pouvez les soutenir, en discuter et suivre ce que l'institution en fait.</p>",
    },
    "en": {
        "title": "Citizens' suggestions and notices",
        "intro": "<p>The suggestions and notices their authors asked to publish. You can support and discuss them, and follow what the institution does with them.</p>",
    },
}

# What an institution does: each action is one service of ``citizen_requests.services``.
ASSIGN = "assign"  # the officer takes it (request_assign)
START = "start"  # in progress (request_move)
ASK = "ask"  # a question to the citizen: the request waits (request_ask)
REPLY = "reply"  # the citizen answers, or adds information (request_citizen_reply)
NOTE = "note"  # an internal note (request_note)
DRAFT = "draft"  # the officer drafts the answer (answer_draft)
SEND = "send"  # the approver sends it (answer_send)
FEEDBACK = "feedback"  # the citizen rates the answer, which closes the request
CLOSE = "close"  # the officer closes an answered request
OUT_OF_SCOPE = "out_of_scope"  # refused as outside the institution's remit, with a reason
REDIRECT = "redirect"  # sent to the institution ``to`` (request_redirect)
PUBLISH = "publish"  # the officer publishes a suggestion or notice its author asked to make public


@dataclass(frozen=True)
class Step:
    after_days: float
    action: str
    text: str = ""
    to: str = ""
    useful: bool = True


def step(after_days: float, action: str, text: str = "", *, to="", useful=True) -> Step:
    return Step(after_days, action, text, to, useful)



@dataclass(frozen=True)
class Demand:
    """One request of the demo and its history."""

    key: str
    kind: str
    institution: str
    author: str
    language: str
    subject: str
    text: str
    filed_days_ago: float
    stage: str  # where the steps leave it (checked when seeding)
    steps: tuple[Step, ...] = ()
    public: bool = False
    supporters: tuple[str, ...] = ()
    discussion: tuple = ()  # ``say(...)`` items, posted in its thread once published
    governorate: str = ""
    municipality: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None

