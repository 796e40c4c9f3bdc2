"""Which suspensions are in force: begun, not ended (a permanent one never ends), not lifted."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Suspension
from accounts.selectors import user_active_suspension

pytestmark = pytest.mark.django_db


def test_a_permanent_suspension_is_in_force_until_lifted_and_comes_first(user_factory):
    person = user_factory()
    now = timezone.now()
    timed = Suspension.objects.create(
        user=person, reason="spam", starts_at=now, ends_at=now + datetime.timedelta(days=3)
    )
    permanent = Suspension.objects.create(user=person, reason="abuse", starts_at=now, ends_at=None)
    in_ten_years = now + datetime.timedelta(days=3650)
    assert set(Suspension.objects.active(in_ten_years)) == {permanent}
    assert user_active_suspension(user=person) == permanent

    permanent.lifted_at = now
    permanent.save()
    assert user_active_suspension(user=person) == timed
    assert not Suspension.objects.active(in_ten_years).exists()
