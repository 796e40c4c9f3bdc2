"""Public suggestions and notices: published at their author's request once moderated, and supported once per account."""


from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from citizen_requests.models import (
    CitizenRequest,
    Publicity,
    RequestEvent,
    StaffAccessAction,
    Support,
)
from citizen_requests.rules import is_author
from citizen_requests.services.common import changed_on_commit, locked, staff_check, staff_log
from citizen_requests.services.errors import Invalid, NotFound, Refused
from citizen_requests.services.following import citizen_check
from citizen_requests.stages import (
    PUBLIC_KINDS,
    EventKind,
)


@transaction.atomic
def request_publicity_ask(*, user, request: CitizenRequest, public: bool, by_code: bool = False) -> None:
    """The author asks for their suggestion or notice to be published (it waits for
    moderation), or withdraws it from publication at any time."""
    citizen_check(user, request, by_code)
    request = locked(request)
    if public and request.kind not in PUBLIC_KINDS:
        raise Invalid(_("Only suggestions and notices can be made public."), field="public")
    if public and request.publicity == Publicity.PRIVATE:
        request.publicity = Publicity.PENDING
    elif not public:
        request.publicity = Publicity.PRIVATE
    else:
        return
    request.save(update_fields=["publicity"])


@transaction.atomic
def request_publication_moderate(*, actor, request: CitizenRequest, publish: bool, reason: str = "") -> RequestEvent:
    """Staff of the institution publish a suggestion or notice its author asked to make
    public, or refuse to (with a reason the author reads)."""
    staff_check(actor, request)
    request = locked(request)
    if request.publicity != Publicity.PENDING:
        raise Invalid(_("This request is not waiting for publication."))
    reason = (reason or "").strip()
    if not publish and not reason:
        raise Invalid(_("Say why the request is not published."), field="reason")
    request.publicity = Publicity.PUBLIC if publish else Publicity.REFUSED
    request.save(update_fields=["publicity"])
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.PUBLICATION, actor=actor,
        text="" if publish else reason,
    )
    staff_log(actor, request, StaffAccessAction.MODERATED, request.publicity)
    changed_on_commit(request, event)
    return event


def request_support(*, user, request: CitizenRequest) -> int:
    """One account supports a public suggestion or notice (once; not its own author).
    Returns the new count."""
    if not getattr(user, "is_authenticated", False):
        raise Refused(_("Sign in to support a request."))
    if request.publicity != Publicity.PUBLIC or request.kind not in PUBLIC_KINDS:
        raise NotFound(_("This request is not public."))
    if is_author(user, request):
        raise Invalid(_("You filed this request: your support is already counted."))
    try:
        with transaction.atomic():
            Support.objects.create(request=request, user=user)
            CitizenRequest.objects.filter(pk=request.pk).update(supporters_count=F("supporters_count") + 1)
    except IntegrityError:
        raise Invalid(_("You already support this request.")) from None
    return CitizenRequest.objects.values_list("supporters_count", flat=True).get(pk=request.pk)
