"""Where ideas appear in pages below this app: the institution's page links to its ideas."""

from django.urls import reverse
from wagtail import hooks


@hooks.register("institution_page_context")
def institution_ideas_links(request, institution):
    """The institution's page (cms.models.InstitutionPage) links to its ideas and the form."""
    return {
        "ideas_url": reverse("citizen_ideas:institution", args=[institution.slug]),
        "propose_idea_url": reverse("citizen_ideas:propose", args=[institution.slug]),
    }
