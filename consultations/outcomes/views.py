"""The public outcome and decision pages: what each shows, in a fixed number of queries
(the reads are in ``selectors``, the pieces in ``presentation``, the charts in ``charts``)."""

import datetime
from zoneinfo import ZoneInfo

from django.template.response import TemplateResponse
from django.utils.translation import get_language, get_language_bidi

from cms.disclosure import disclosure_threshold
from cms.l10n import format_day
from consultations.outcomes.charts import participation_charts
from consultations.outcomes.models import (
    DecisionPage,
    DecisionStatus,
    OutcomePage,
    OutcomeResponse,
    ResponseStatus,
)
from consultations.outcomes.presentation import (
    ConsultationContext,
    DecisionSummary,
    Milestone,
    ResponseLink,
    ResponseView,
    choice_label,
    governorate_rows,
    is_preview,
    latest_status,
    moderation_rows,
)
from consultations.outcomes.selectors import (
    contributions_by_id,
    contributions_by_response,
    milestones_by_page,
    participation_figures,
)
from consultations.outcomes.statistics import participation_published
from questionnaires.presentation import results_view, snapshot_labels


def outcome_page(request, page: OutcomePage):
    context = page.get_context(request)
    view = outcome_view(outcome=page, request=request)
    section_label = view.pop("section_label")
    context.update(
        view,
        charts=participation_charts(
            statistics=view["statistics"],
            section_label=section_label,
            language=get_language(),
            rtl=get_language_bidi(),
        ),
    )
    return TemplateResponse(request, "consultations/outcome_page.html", context)


def decision_context(request, page: DecisionPage) -> dict:
    """What the decision page's template needs besides ``page`` (for DecisionPage.get_context)."""
    return decision_view(decision=page, request=request)


# --- Outcome -----------------------------------------------------------------------------------


def outcome_responses(
    *, outcome: OutcomePage, context: ConsultationContext, preview: bool
) -> list[ResponseView]:
    """The outcome's responses with the sections they concern and the contributions they
    answer. Two queries (responses, cited contributions), one more in a preview."""
    responses = list(outcome.responses.all())
    responses.sort(key=lambda r: r.sort_order if r.sort_order is not None else 0)
    if preview:
        cited_ids = [[c.pk for c in response.contributions.all()] for response in responses]
        by_id = contributions_by_id(pk for ids in cited_ids for pk in ids)
        cited = [[by_id[pk] for pk in ids if pk in by_id] for ids in cited_ids]
    else:
        per_response = contributions_by_response([response.pk for response in responses])
        cited = [per_response[response.pk] for response in responses]
    return [
        ResponseView(
            response=response,
            status_label=choice_label(response.status, ResponseStatus),
            sections=context.section_links(response.section_ids),
            citations=context.citations(contributions),
        )
        for response, contributions in zip(responses, cited)
    ]


def outcome_decisions(*, outcome: OutcomePage, request) -> list[DecisionSummary]:
    """The outcome's live, public decisions in tree order: two queries."""
    if outcome.pk is None:
        return []
    decisions = list(DecisionPage.objects.child_of(outcome).live().public().order_by("path"))
    milestones = milestones_by_page(decisions)
    out = []
    for decision in decisions:
        status = latest_status(milestones[decision.pk])
        out.append(
            DecisionSummary(
                page=decision,
                url=decision.get_url(request),
                status=status,
                status_label=choice_label(status, DecisionStatus),
                reference=decision.official_reference,
                jort_reference=decision.jort_reference,
            )
        )
    return out


def outcome_view(*, outcome: OutcomePage, request) -> dict:
    """Everything the outcome page shows, in a fixed number of queries."""
    consultation = outcome.consultation
    context = ConsultationContext(consultation, request)
    statistics, provisional = participation_figures(consultation=consultation)
    published = participation_published(statistics)
    time_zone = consultation.institution.time_zone
    taken_at = datetime.datetime.fromisoformat(statistics["taken_at"]).astimezone(
        ZoneInfo(time_zone)
    )
    return {
        "consultation": consultation,
        "consultation_url": context.url,
        "institution": consultation.institution,
        "phase": consultation.phase,
        "responses": outcome_responses(
            outcome=outcome, context=context, preview=is_preview(request, outcome)
        ),
        "decisions": outcome_decisions(outcome=outcome, request=request),
        "statistics": statistics,
        "provisional": provisional,
        "taken_at": taken_at,
        "taken_on": format_day(taken_at.date()),
        "time_zone": time_zone,
        "participants": published["participants"],
        "governorates": governorate_rows(published["governorates"]),
        "threshold": disclosure_threshold(),
        "moderation": moderation_rows(statistics),
        "section_label": context.statistics_section_label,
        "questionnaires": outcome_questionnaires(statistics),
    }


def outcome_questionnaires(statistics: dict) -> list[dict]:
    """The questionnaires' results frozen with the statistics, in the reader's language
    (a snapshot taken before questionnaires existed has none)."""
    language = get_language()
    out = []
    for index, frozen in enumerate(statistics.get("questionnaires", []), start=1):
        labels = snapshot_labels(frozen["labels"], language)
        out.append(
            {
                "title": labels.get("title", ""),
                "results": results_view(
                    frozen["results"],
                    labels=labels,
                    language=language,
                    rtl=get_language_bidi(),
                    prefix=f"questionnaire-{index}",
                ),
            }
        )
    return out


# --- Decision ---------------------------------------------------------------------------------


def decision_responses(
    *, decision: DecisionPage, outcome: OutcomePage | None, request, preview: bool
) -> list[ResponseLink]:
    """The responses a decision rests on, linked on their outcome, in order. A translated
    decision names its own outcome's (``services.decision_translation_relink``). One query
    when they all stand on ``outcome``, two otherwise."""
    cited = list(decision.responses.all())
    if preview:
        cited = list(OutcomeResponse.objects.filter(pk__in=[r.pk for r in cited]))
    if not cited:
        return []
    elsewhere = {r.page_id for r in cited if outcome is None or r.page_id != outcome.pk}
    pages = {page.pk: page for page in OutcomePage.objects.filter(pk__in=elsewhere)} if elsewhere else {}
    if outcome is not None:
        pages[outcome.pk] = outcome
    links = []
    for response in sorted(cited, key=lambda r: (r.sort_order or 0, r.pk)):
        page = pages.get(response.page_id)
        base = (page.get_url(request) or "") if page is not None else ""
        links.append(
            ResponseLink(
                response.theme,
                choice_label(response.status, ResponseStatus),
                f"{base}#{response.anchor}",
            )
        )
    return links


def decision_view(*, decision: DecisionPage, request) -> dict:
    """Everything the decision page shows, in a fixed number of queries."""
    preview = is_preview(request, decision)
    consultation = decision.consultation
    context = ConsultationContext(consultation, request)
    outcome = OutcomePage.objects.ancestor_of(decision).first()
    history = sorted(decision.milestones.all(), key=lambda m: (m.date, m.sort_order or 0))
    status = latest_status(history)
    if preview:
        contributions = list(
            contributions_by_id(c.pk for c in decision.contributions.all()).values()
        )
    else:
        contributions = list(decision.contributions.all().select_related("author", "thread"))
    documents = decision.documents.all()
    if not preview:
        documents = documents.select_related("document")
    return {
        "consultation": consultation,
        "consultation_url": context.url,
        "outcome": outcome,
        "outcome_url": outcome.get_url(request) if outcome is not None else "",
        "status": status,
        "status_label": choice_label(status, DecisionStatus),
        "milestones": [
            Milestone(
                m.status, choice_label(m.status, DecisionStatus), m.date, format_day(m.date), m.note
            )
            for m in history
        ],
        "reference": decision.official_reference,
        "signed_on": format_day(decision.signed_on) if decision.signed_on else "",
        "documents": list(documents),
        "response_links": decision_responses(
            decision=decision, outcome=outcome, request=request, preview=preview
        ),
        "citations": context.citations(contributions),
        "sections": context.section_links(decision.section_ids),
    }
