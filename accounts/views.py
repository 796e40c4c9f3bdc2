from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts.forms import (
    EMAIL_TAKEN_MESSAGE,
    NOTIFICATION_FIELDS,
    LoginForm,
    NotificationSettingsForm,
    SignUpForm,
)
from accounts.models import User
from accounts.services import (
    EmailTaken,
    user_email_verification_send,
    user_email_verify,
    user_notifications_update,
    user_sign_up,
)
from accounts.tokens import email_verification_token


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


class SignUpView(FormView):
    form_class = SignUpForm
    template_name = "accounts/sign_up.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("/")
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"preferred_language": self.request.LANGUAGE_CODE}

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_safe_next(self.request), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = user_sign_up(
                email=data["email"],
                display_name=data["display_name"],
                password=data["password1"],
                preferred_language=data["preferred_language"],
                governorate=data.get("governorate") or "",
            )
        except EmailTaken:
            form.add_error("email", EMAIL_TAKEN_MESSAGE)
            return self.form_invalid(form)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        user_email_verification_send(user=user, base_url=self.request.build_absolute_uri("/"))
        messages.success(
            self.request,
            _(
                "Welcome, %(name)s. Your account is ready. We have sent you an email to "
                "confirm your address."
            )
            % {"name": user.display_name},
        )
        return redirect(_safe_next(self.request) or f"/{user.preferred_language}/")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # The reset link reached this mailbox: the address is verified too.
        user_email_verify(user=form.user)
        return super().form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def verify_email(request, uidb64: str, token: str):
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not email_verification_token.check_token(user, token):
        return TemplateResponse(request, "accounts/verify_email_failed.html", status=400)
    user_email_verify(user=user)
    messages.success(request, _("Thank you: your email address is confirmed."))
    return redirect(f"/{user.preferred_language}/")


@login_required
@require_POST
def verify_email_resend(request):
    if request.user.email_verified:
        messages.info(request, _("Your email address is already confirmed."))
    else:
        user_email_verification_send(user=request.user, base_url=request.build_absolute_uri("/"))
        messages.success(
            request,
            _("We have sent a new confirmation link to %(email)s.") % {"email": request.user.email},
        )
    return redirect(_safe_next(request) or f"/{request.user.preferred_language}/")


@login_required
def notification_settings(request):
    """The citizen chooses which emails they receive."""
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        if form.is_valid():
            user_notifications_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("Your notification settings are saved."))
            return redirect(request.path)
    else:
        form = NotificationSettingsForm(
            initial={name: getattr(request.user, name) for name in NOTIFICATION_FIELDS}
        )
    return TemplateResponse(request, "accounts/notification_settings.html", {"form": form})
