"""The results page (``<questionnaire>/results/``): to the institution's editors while the
questionnaire is open (live: static/js/live_region.js re-reads it when the socket of
questionnaires/live.py says the counts changed), to everyone once the editor ticked "results
public". Anyone else gets the 404 of a page that does not exist. A fixed number of queries
whatever the number of responses (questionnaires.results)."""

import uuid

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from cms.disclosure import disclosure_threshold
from questionnaires.exports import open_data_links
from questionnaires.presentation import labels_of, results_view
from questionnaires.results import questionnaire_results


def results_socket(page) -> str:
    return f"/ws/questionnaires/{uuid.UUID(str(page.translation_key)).hex}/results/"


def results_page(request, page):
    if not request.user.has_perm("questionnaires.view_results", page):
        raise Http404(_("There are no results to show here."))
    results = questionnaire_results(page=page)
    live = request.user.has_perm("questionnaires.watch_results", page)
    return TemplateResponse(
        request,
        "questionnaires/results_page.html",
        {
            "page": page,
            "self": page,
            "institution": page.institution,
            "consultation": page.consultation,
            "results": results_view(
                results, labels=labels_of(page), language=get_language(), rtl=get_language_bidi()
            ),
            "public": page.results_public,
            "live_socket": results_socket(page) if live else "",
            "threshold": disclosure_threshold(),
            "open_data": open_data_links(page) if page.results_public else [],
        },
    )
