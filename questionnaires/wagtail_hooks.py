"""Questionnaires around the CMS: the institution's page links to its own questionnaires."""

from wagtail import hooks

from questionnaires.selectors import questionnaires_of


@hooks.register("institution_page_context")
def institution_questionnaires(request, institution):
    """The questionnaires published on their own under an institution (cms.models)."""
    return {"questionnaires": questionnaires_of(institution)}
