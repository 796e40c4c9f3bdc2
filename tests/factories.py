"""factory_boy factories for the main models (registered as fixtures in conftest.py)."""

import datetime
import uuid

import factory
from django.utils import timezone
from wagtail.models import Page

from accounts.models import User
from cms.models import InstitutionPage
from consultations.models import ConsultationPage
from deliberation.models import Flag, Reaction
from tests.pages import draft

TEST_PASSWORD = "a-long-enough-passphrase-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.tn")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    preferred_language = "fr"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    class Params:
        # An account whose reports count toward hiding: address confirmed, weeks old.
        trusted = factory.Trait(
            email_verified=True,
            date_joined=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30)),
        )

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PageFactory(factory.django.DjangoModelFactory):
    """A Wagtail page added under ``parent`` (a page, required).

    The page is live from its creation without a revision; ``publish=True`` saves and publishes
    a revision as an editor would (what needs a live revision: diffs, version history, the
    publication signals and their side effects).
    """

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyFunction(lambda: f"p-{uuid.uuid4().hex[:8]}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=False, **kwargs):
        if parent is None:
            raise TypeError(f"{cls.__name__} needs parent=<page>")
        # A fresh parent: treebeard numbers the new child from the parent's stored child count.
        page = Page.objects.get(pk=parent.pk).add_child(instance=model_class(*args, **kwargs))
        if publish:
            page.save_revision().publish()
        return model_class.objects.get(pk=page.pk)


class InstitutionPageFactory(PageFactory):
    class Meta:
        model = InstitutionPage

    title = factory.Sequence(lambda n: f"Institution {n}")
    kind = "municipality"


class ConsultationPageFactory(PageFactory):
    """An open consultation (opened yesterday, closing in ten days) with two sections."""

    class Meta:
        model = ConsultationPage

    title = "Projet de code"
    summary = "Un résumé."
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    draft = factory.LazyFunction(
        lambda: draft(("Principes", "Le texte."), ("Priorités", "L'eau d'abord."))
    )


class ReactionFactory(factory.django.DjangoModelFactory):
    """A reaction written straight to the table (``contribution_react`` counts and checks)."""

    class Meta:
        model = Reaction

    user = factory.SubFactory(UserFactory)
    kind = "agree"


class FlagFactory(factory.django.DjangoModelFactory):
    """A report written straight to the table (``contribution_flag`` decides about hiding)."""

    class Meta:
        model = Flag

    user = factory.SubFactory(UserFactory)
    reason = "spam"
