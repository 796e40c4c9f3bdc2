"""How the demo's discussions are written: who says what, in which language, the replies and
reactions it gets, and what then happens to it (its role)."""

from dataclasses import dataclass

# What happens to a contribution once everything is posted.
OFFICIAL = "official"  # the institution's official reply, marked by a moderator
PINNED = "pinned"  # highlighted by a moderator
SPAM = "spam"  # reported as spam by a reader, then hidden by a moderator
PERSONAL_DATA = "personal_data"  # hidden by a moderator: it names someone and gives his number
REPORTED = "reported"  # reported once, left in the queue for a moderator to decide
NEWCOMER = "newcomer"  # a new account's first contribution: waits for approval


@dataclass(frozen=True)
class Say:
    """One contribution of a discussion script, with its replies."""

    author: str  # the part of a demo email address before "@majlis.test"
    language: str
    body: str
    replies: tuple["Say", ...] = ()
    agree: int = 0
    disagree: int = 0
    role: str = ""


def say(author, language, body, *replies, agree=0, disagree=0, role="") -> Say:
    return Say(author, language, body, tuple(replies), agree, disagree, role)


# Who reports what (and so who a moderator's decision is about).
REPORTERS = {SPAM: "salma", REPORTED: "sami"}
MODERATOR_NOTES = {
    SPAM: "إشهار تجاري لا علاقة له بالنقاش.",
    PERSONAL_DATA: "ذكر اسم شخص ورقم هاتفه وعنوانه. يمكن التبليغ عن التجاوزات لدى الهيئات المختصة.",
    OFFICIAL: "رد الوزارة على سؤال الحد الأدنى من الماء.",
    PINNED: "اقتراح عملي يهم كل الأحياء.",
}
REPORT_NOTES = {
    SPAM: "إشهار لفلاتر الماء",
    REPORTED: "Ton agressif envers les fonctionnaires, et appel à la démission générale.",
}
# Citizens who do not react to others' contributions.
NOT_REACTING = {"zeineb", "aquapure"}
