"""Checks every citizen's action in a thread goes through: permission, text, rate."""

from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from accounts.ratelimits import rate_limit_hit
from deliberation import conf
from deliberation import rules as deliberation_rules
from deliberation.markup import has_lone_surrogate
from deliberation.services.errors import Invalid, NotFound, RateLimited, Refused


def refuse_if(message: str | None) -> None:
    """Raise the refusal ``message`` (a rules refusal) if there is one: NotFound when the
    thread cannot be read, else Refused."""
    if isinstance(message, deliberation_rules.Unreadable):
        raise NotFound(message)
    if message:
        raise Refused(message)


INVALID_CHARACTER = gettext_lazy(
    "Your text contains an invalid character, probably from a bad copy and paste. Remove it "
    "and send again."
)


def refuse_lone_surrogates(text: str, *, field: str) -> None:
    if has_lone_surrogate(text):
        raise Invalid(str(INVALID_CHARACTER), field=field)


def rate_limit(*, action: str, user: User, ip_address: str | None) -> None:
    per_account = "DELIBERATION_REACT_RATE_PER_ACCOUNT" if action == "react" else "DELIBERATION_POST_RATE_PER_ACCOUNT"
    identities = {"account": (str(user.pk), conf.get(per_account))}
    if action in ("post", "propose"):
        identities["ip"] = (ip_address or "", conf.get("DELIBERATION_POST_RATE_PER_IP"))
    exceeded = rate_limit_hit(action=action, identities=identities)
    if exceeded:
        raise RateLimited(
            ngettext(
                "You are going too fast. Please wait %(seconds)d second and try again; what you wrote is kept below.",
                "You are going too fast. Please wait %(seconds)d seconds and try again; what you wrote is kept below.",
                exceeded.retry_after,
            )
            % {"seconds": exceeded.retry_after},
            retry_after=exceeded.retry_after,
        )
