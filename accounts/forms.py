from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils.translation import gettext_lazy as _
from wagtail.users import forms as wagtail_user_forms

from accounts.models import User, normalise_email
from accounts.selectors import user_email_taken

EMAIL_TAKEN_MESSAGE = _(
    "An account with this email address already exists. Log in, or reset your password if you "
    "have forgotten it."
)

DISPLAY_NAME_TOO_SHORT = _("Enter a display name of at least 2 characters.")


class SignUpForm(BaseUserCreationForm):
    """A citizen's sign-up. Validates only; ``accounts.services.user_sign_up`` creates."""

    class Meta:
        model = User
        fields = ("email", "display_name", "preferred_language", "governorate")
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
        }

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if user_email_taken(email=email):
            raise forms.ValidationError(EMAIL_TAKEN_MESSAGE, code="duplicate_email")
        return email

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
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


class AdminUserCreationForm(wagtail_user_forms.UserCreationForm):
    first_name = None
    last_name = None

    class Meta(wagtail_user_forms.UserCreationForm.Meta):
        fields = MAJLIS_ADMIN_FIELDS | {"is_superuser", "groups"}


class AdminUserEditForm(wagtail_user_forms.UserEditForm):
    first_name = None
    last_name = None

    class Meta(wagtail_user_forms.UserEditForm.Meta):
        fields = MAJLIS_ADMIN_FIELDS | {"is_active", "is_superuser", "groups"}
