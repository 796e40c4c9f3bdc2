import datetime

import factory
from django.utils import timezone

from accounts.models import User

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
