from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils.translation import gettext_lazy as _
from wagtail.users import forms as wagtail_user_forms

from accounts.models import User, normalise_email
from accounts.names import display_name_validate, strip_format_characters

DISPLAY_NAME_TOO_SHORT = _("Enter a display name of at least 2 characters.")


class SignUpForm(BaseUserCreationForm):
    """A citizen's sign-up. Validates only; ``accounts.services.user_sign_up_request``
    creates. Whether the address already has an account is never a form error: the answer
    must be the same either way (the email sent says it)."""

    class Meta:
        model = User
        fields = ("email", "display_name", "preferred_language", "governorate")
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
        }

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def _get_validation_exclusions(self):
        # Uniqueness of the address is not checked here (its constraint included): a "taken"
        # error would tell who has an account. The service decides.
        return super()._get_validation_exclusions() | {"email"}

    def clean_display_name(self):
        name = display_name_validate(self.cleaned_data["display_name"])
        if len(name) < 2:
            raise forms.ValidationError(DISPLAY_NAME_TOO_SHORT, code="too_short")
        return name


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "That email address and password do not match an account. Check them and try again."
        ),
        "inactive": _("This account is inactive."),
    }


NOTIFICATION_FIELDS = (
    "notify_replies", "notify_moderation", "notify_closing_soon", "notify_outcomes"
)


class NotificationSettingsForm(forms.Form):
    """Which emails a citizen wants. Labels and help come from the model; validates only,
    ``accounts.services.user_notifications_update`` saves."""

    notify_replies = User._meta.get_field("notify_replies").formfield()
    notify_moderation = User._meta.get_field("notify_moderation").formfield()
    notify_closing_soon = User._meta.get_field("notify_closing_soon").formfield()
    notify_outcomes = User._meta.get_field("notify_outcomes").formfield()


# --- Wagtail admin user forms ----------------------------------------------------------
# Wagtail's own forms assume first_name/last_name; Majlis users have a display name.

MAJLIS_ADMIN_FIELDS = {"email", "display_name", "preferred_language", "governorate"}


class _AdminDisplayName:
    """Staff may name accounts for their role, but not with invisible reordering characters."""

    def clean_display_name(self):
        return strip_format_characters(self.cleaned_data["display_name"])


class AdminUserCreationForm(_AdminDisplayName, wagtail_user_forms.UserCreationForm):
    first_name = None
    last_name = None

    class Meta(wagtail_user_forms.UserCreationForm.Meta):
        fields = MAJLIS_ADMIN_FIELDS | {"is_superuser", "groups"}


class AdminUserEditForm(_AdminDisplayName, wagtail_user_forms.UserEditForm):
    first_name = None
    last_name = None

    class Meta(wagtail_user_forms.UserEditForm.Meta):
        fields = MAJLIS_ADMIN_FIELDS | {"is_active", "is_superuser", "groups"}


class AccountDeleteForm(forms.Form):
    """Deleting one's account: the password again, and whether to remove one's contributions
    where nothing depends on them (docs/data-rights.md)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    remove_contributions = forms.BooleanField(
        label=_("Also remove my contributions that nobody has replied to"),
        help_text=_(
            "Otherwise they stay in the public record, signed “Deleted account”. Contributions "
            "that have replies, are cited by the institution or were moderated always stay, "
            "without your name."
        ),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("This password is not correct. Your account has not been deleted."),
                code="password_incorrect",
            )
        return password
