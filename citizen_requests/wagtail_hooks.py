"""Citizen requests in Wagtail: the institution's page offers to file a request with it."""

from wagtail import hooks

from citizen_requests.services import desk_for_institution


@hooks.register("institution_page_context")
def institution_request_desk(request, institution):
    """The institution's desk, when it takes requests (cms.models.InstitutionPage)."""
    desk = desk_for_institution(institution)
    return {"request_desk": desk if desk is not None and desk.accepts_requests else None}
