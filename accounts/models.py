from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.governorates import Governorate


def normalise_email(email: str) -> str:
    """One spelling per mailbox: trimmed and lower-cased, so Ali@X and ali@x are one account."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email=normalise_email(username))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: citizen, editor, moderator or journalist. Logs in with an email address."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown beside what you write. Your email address is never shown."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    governorate = models.CharField(
        _("governorate"),
        max_length=5,
        choices=Governorate.choices,
        blank=True,
        help_text=_("Optional. Used only for anonymous participation statistics."),
    )
    email_verified = models.BooleanField(
        _("email address verified"),
        default=False,
        help_text=_("Set once the person has shown they receive mail at this address."),
    )
    notify_replies = models.BooleanField(
        _("replies to my contributions"), default=True,
        help_text=_("An email when someone replies to what you wrote."),
    )
    notify_moderation = models.BooleanField(
        _("moderation decisions"), default=True,
        help_text=_("An email when a moderator publishes, refuses, hides or restores what you wrote."),
    )
    notify_closing_soon = models.BooleanField(
        _("consultations closing soon"), default=True,
        help_text=_("An email a few days before a consultation you follow closes."),
    )
    notify_outcomes = models.BooleanField(
        _("outcomes, decisions and answers to ideas"), default=True,
        help_text=_(
            "An email when the outcome of a consultation you follow or took part in is "
            "published, when a decision that rests on what you wrote changes status, and when "
            "the institution answers an idea you proposed or support."
        ),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log in to the editors' and moderators' administration."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name


class SuspensionQuerySet(models.QuerySet):
    def active(self, now=None):
        """Suspensions in force at ``now``: begun, not ended (a permanent one never ends) and
        not lifted."""
        now = now or timezone.now()
        return self.filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now),
            starts_at__lte=now,
            lifted_at__isnull=True,
        )


class Suspension(models.Model):
    """An account barred from posting and reacting until ``ends_at`` (never, when it is empty:
    a permanent suspension), for a stated reason, unless a moderator lifts it (``lifted_at``,
    ``lifted_by``, ``lift_reason``: deliberation's ``user_suspension_lift``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions"
    )
    reason = models.CharField(_("reason"), max_length=16)
    note = models.TextField(_("note"), blank=True)
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_reason = models.TextField(_("why it was lifted"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = [models.F("ends_at").desc(nulls_first=True)]
        indexes = [models.Index(fields=["user", "ends_at"], name="accounts_suspension_idx")]

    @property
    def permanent(self) -> bool:
        return self.ends_at is None


class DataRightsAction(models.TextChoices):
    EXPORT = "export", _("Data exported")
    ERASE = "erase", _("Account deleted")


class DataRightsLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The data-rights log is append-only.")

    def delete(self):
        raise TypeError("The data-rights log is append-only.")


class DataRightsLog(models.Model):
    """Who exported or deleted which account's data, when, and on whose request.

    Append-only. ``subject_id`` is the account's number, not a foreign key: the entry outlives
    the account it names, and holds no e-mail address or name (docs/data-rights.md).
    ``actor`` is the staff member who acted; empty when the citizen acted themselves.
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=DataRightsAction.choices)
    subject_id = models.PositiveBigIntegerField(_("account number"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("staff member"),
    )
    by_staff = models.BooleanField(_("carried out by staff"), default=False)
    note = models.CharField(
        _("request reference"),
        max_length=200,
        blank=True,
        help_text=_("Where the citizen asked (a letter's number, a ticket): no personal data."),
    )

    objects = DataRightsLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("data-rights log entry")
        verbose_name_plural = _("data-rights log")
        ordering = ["-created_at", "-pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The data-rights log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The data-rights log is append-only.")
