"""Admin forms of outcomes and decisions: choosing the contributions and draft sections an
answer rests on, from its own consultation only, and keeping a decision's published history.

The contribution chooser lists what is chosen and searches the consultation's published
contributions (``contribution_search``, a JSON view of the admin): a consultation can have
thousands, too many for a list of checkboxes. Whatever is submitted is checked again here and
by the page's ``clean`` (``services.citation_refusals``): a hidden contribution, or one from
another consultation, is refused with the reason.

The models name these forms (``base_form_class``), so this module is imported while models
load: the models, and the services that import them, are imported inside the functions.
"""

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import InlinePanel
from wagtail.models import PageLogEntry

from accounts.names import author_name, name_text


def consultation_for(*, instance=None, parent_page=None):
    """The consultation an outcome or decision page (being created under ``parent_page``, or
    ``instance``) answers."""
    from consultations.models import ConsultationPage  # (loads with the models)

    if instance is not None and instance.path:
        anchor = instance
    elif parent_page is not None:
        anchor = parent_page
    else:
        return None
    if isinstance(anchor.specific, ConsultationPage):
        return anchor.specific
    return ConsultationPage.objects.ancestor_of(anchor).first()


def contribution_label(contribution) -> str:
    """How the chooser names a contribution; a citizen's idea (read with
    ``select_related("idea")``) by its title and status as well."""
    text = " ".join(contribution.body.split())
    excerpt = text if len(text) <= 140 else text[:139] + "…"
    label = f"#{contribution.pk} · {name_text(author_name(contribution.author))} · {excerpt}"
    try:
        idea = contribution.idea
    except ObjectDoesNotExist:
        return label
    return _("Idea “%(title)s” (%(status)s)") % {
        "title": idea.title,
        "status": idea.get_status_display(),
    } + f" · {label}"


class ContributionChooser(forms.SelectMultiple):
    """The chosen contributions as ticked boxes, and a search of the consultation's others."""

    def __init__(self, attrs=None, consultation=None):
        super().__init__(attrs)
        self.consultation = consultation

    def render(self, name, value, attrs=None, renderer=None):
        from deliberation.models import Contribution, Status  # (loads with the models)

        ids = [int(v) for v in (value or []) if str(v).isdigit()]
        # Only what may be cited is shown: a submitted id of another consultation, or of a
        # hidden contribution, is refused by the field and never rendered with its text.
        chosen = (
            Contribution.objects.filter(
                pk__in=ids,
                status=Status.PUBLISHED,
                thread__translation_key=getattr(self.consultation, "translation_key", None),
            )
            .select_related("author", "idea")
            .order_by("pk")
        )
        element_id = (attrs or {}).get("id") or f"id_{name}"
        search_url = reverse("consultations_contribution_search")
        consultation_id = self.consultation.pk if self.consultation else ""
        items = format_html_join(
            "",
            '<li><label><input type="checkbox" name="{}" value="{}" checked> {}</label></li>',
            ((name, c.pk, contribution_label(c)) for c in chosen),
        )
        return format_html(
            '<div class="contribution-chooser" id="{id}" data-name="{name}" data-url="{url}" '
            'data-consultation="{consultation}" data-empty="{empty}">'
            '<ul class="contribution-chooser__chosen">{items}</ul>'
            '<label class="w-field__label" for="{id}-q">{search_label}</label> '
            '<input type="search" id="{id}-q" class="contribution-chooser__q" '
            'placeholder="{placeholder}"> '
            '<button type="button" class="button button-small button-secondary '
            'contribution-chooser__go">{search}</button>'
            '<p class="contribution-chooser__status" role="status"></p>'
            '<ul class="contribution-chooser__results"></ul></div>',
            id=element_id,
            name=name,
            url=search_url,
            consultation=consultation_id,
            items=items,
            search_label=_("Find contributions of this consultation"),
            placeholder=_("Words, author, or #number"),
            search=_("Search"),
            empty=_("No other published contribution of this consultation matches."),
        )


def _contribution_field(consultation, label):
    from deliberation.models import Contribution, Status  # (loads with the models)

    queryset = Contribution.objects.none()
    if consultation is not None:
        queryset = Contribution.objects.filter(
            thread__translation_key=consultation.translation_key, status=Status.PUBLISHED
        )
    return forms.ModelMultipleChoiceField(
        queryset=queryset,
        required=False,
        label=label,
        widget=ContributionChooser(consultation=consultation),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Contribution #%(value)s cannot be cited: only this consultation's published "
                "contributions can be (not removed, refused or awaiting moderation)."
            ),
        },
    )


def _section_field(consultation):
    choices = [
        (section.id, f"{section.number}. {section.heading}")
        for section in (consultation.sections if consultation else [])
    ]
    return forms.MultipleChoiceField(
        choices=choices,
        required=False,
        label=_("Draft sections it concerns"),
        widget=forms.CheckboxSelectMultiple,
    )


class ResponseForm(WagtailAdminModelForm):
    def __init__(self, *args, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contributions"] = _contribution_field(
            consultation, _("Contributions it answers")
        )
        self.fields["section_ids"] = _section_field(consultation)


class ResponsesPanel(InlinePanel):
    """The outcome's responses, each with the consultation's contributions and sections."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name].update(
            form=ResponseForm, inherit_kwargs=["consultation"]
        )
        return options


class CitingPageForm(WagtailAdminPageForm):
    def __init__(self, data=None, files=None, parent_page=None, *args, **kwargs):
        self.consultation = consultation_for(
            instance=kwargs.get("instance"), parent_page=parent_page
        )
        super().__init__(data, files, parent_page, *args, **kwargs)


class OutcomePageForm(CitingPageForm):
    pass


class DecisionPageForm(CitingPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from consultations.outcomes.models import OutcomeResponse  # (loads with the models)

        outcome = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        self.fields["contributions"] = _contribution_field(
            self.consultation, _("Contributions it rests on")
        )
        self.fields["section_ids"] = _section_field(self.consultation)
        self.fields["responses"].queryset = OutcomeResponse.objects.filter(page_id=outcome.pk)
        self.fields["responses"].widget = forms.CheckboxSelectMultiple()
        self.fields["responses"].widget.choices = self.fields["responses"].choices

    def clean(self):
        cleaned = super().clean()
        self._check_history()
        self._check_order()
        return cleaned

    def _check_order(self):
        """The submitted milestones must follow each other (the page's ``clean`` sees only the
        saved ones while the form is validated)."""
        # (loads with the models)
        from consultations.outcomes.models import DecisionMilestone
        from consultations.outcomes.services import milestone_refusals

        formset = self.formsets.get("milestones")
        if formset is None or not formset.is_valid():
            return
        milestones = [
            DecisionMilestone(
                status=form.cleaned_data["status"],
                date=form.cleaned_data["date"],
                sort_order=number,
            )
            for number, form in enumerate(formset.forms)
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("status")
            and form.cleaned_data.get("date")
        ]
        errors = milestone_refusals(milestones)
        if errors:
            raise forms.ValidationError(errors)

    def _check_history(self):
        """Published milestones stay as they were: an editor adds a new one instead. What was
        published once stays, even if the decision was unpublished since."""
        formset = self.formsets.get("milestones")
        if formset is None or not self.instance.pk:
            return
        published = self._published_milestones()
        if not published:
            return
        formset.is_valid()  # (the page form is cleaned before its formsets)
        kept = set()
        for form in formset.forms:
            before = published.get(form.instance.pk)
            if before is None or not hasattr(form, "cleaned_data"):
                continue
            kept.add(before.pk)
            data = form.cleaned_data
            if data.get("DELETE") or (data.get("status"), data.get("date")) != (
                before.status,
                before.date,
            ):
                self._history_error(before)
        for pk in published.keys() - kept:
            self._history_error(published[pk])

    def _published_milestones(self) -> dict:
        """{pk: milestone} as the decision was last published: from that revision, or from
        the live rows when its revisions were purged."""
        from consultations.outcomes.models import DecisionMilestone  # (loads with the models)

        entry = (
            PageLogEntry.objects.filter(
                page_id=self.instance.pk, action="wagtail.publish", revision__isnull=False
            )
            .select_related("revision")
            .order_by("-timestamp", "-pk")
            .first()
        )
        if entry is not None:
            milestones = entry.revision.as_object().milestones.all()
        elif self.instance.live:
            milestones = DecisionMilestone.objects.filter(page_id=self.instance.pk)
        else:
            return {}
        return {m.pk: m for m in milestones}

    def _history_error(self, milestone):
        raise forms.ValidationError(
            _(
                "A published milestone (%(status)s, %(date)s) cannot be changed or removed: "
                "the status history is public. Add a new milestone instead."
            )
            % {"status": milestone.get_status_display(), "date": milestone.date.isoformat()}
        )
