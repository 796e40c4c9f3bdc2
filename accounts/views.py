import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.account import LoginView as WagtailLoginView

from accounts.forms import (
    NOTIFICATION_FIELDS,
    AccountDeleteForm,
    LoginForm,
    NotificationSettingsForm,
    SignUpForm,
)
from accounts.models import User
from accounts.personal_data import (
    erasure_refusal,
    export_sections,
    user_data_export,
    user_erase,
)
from accounts.ratelimits import client_ip
from accounts.services import (
    Throttled,
    login_attempt_count,
    login_succeeded,
    password_reset_completed,
    password_reset_throttle,
    user_email_verification_resend,
    user_email_verify,
    user_notifications_update,
    user_sign_up_request,
)
from accounts.tokens import email_verification_token


def _throttled(response: HttpResponse, throttled: Throttled) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(throttled.retry_after)
    return response


def _throttled_form(view, throttled: Throttled, form) -> HttpResponse:
    """The form again (what was typed kept), the wait in an alert above it: 429."""
    context = view.get_context_data(form=form, throttled=throttled.message)
    return _throttled(view.render_to_response(context), throttled)


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
            user_sign_up_request(
                email=data["email"],
                display_name=data["display_name"],
                password=data["password1"],
                preferred_language=data["preferred_language"],
                governorate=data.get("governorate") or "",
                ip_address=client_ip(self.request),
                base_url=self.request.build_absolute_uri("/"),
                next_url=_safe_next(self.request) or "",
            )
        except Throttled as throttled:
            return _throttled_form(self, throttled, form)
        # The same answer whether the address was new or already had an account (the email
        # sent says which): the page must not tell who has an account here.
        return redirect("accounts:sign_up_done")


class SignUpDoneView(TemplateView):
    template_name = "accounts/sign_up_done.html"


class _ThrottledLogIn:
    """Log-in attempts counted per address typed and per client address before the password
    is checked (accounts.services.login_attempt_count); 429 past the limits."""

    def post(self, request, *args, **kwargs):
        email = request.POST.get("username", "")[:254]
        try:
            login_attempt_count(email=email, ip_address=client_ip(request))
        except Throttled as throttled:
            # An unbound form: a bound one would check the password while being shown.
            form = self.get_form_class()(request, initial={"username": email})
            return self.throttled(throttled, form)
        return super().post(request, *args, **kwargs)

    def throttled(self, throttled: Throttled, form) -> HttpResponse:
        return _throttled_form(self, throttled, form)

    def form_valid(self, form):
        login_succeeded(email=form.cleaned_data["username"], ip_address=client_ip(self.request))
        return super().form_valid(form)


class LoginView(_ThrottledLogIn, auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class AdminLoginView(_ThrottledLogIn, WagtailLoginView):
    """Wagtail's admin log-in, throttled like the citizens' (config/urls.py routes it)."""

    def throttled(self, throttled: Throttled, form) -> HttpResponse:
        messages.error(self.request, throttled.message)
        return _throttled(self.render_to_response(self.get_context_data(form=form)), throttled)


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Counted for the address typed whether or not it has an account: the same answer.
        try:
            password_reset_throttle(email=form.cleaned_data["email"], ip_address=client_ip(self.request))
        except Throttled as throttled:
            return _throttled_form(self, throttled, form)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # The reset link reached this mailbox: the address is verified too.
        user_email_verify(user=form.user)
        response = super().form_valid(form)
        # The owner chose a new password: they may log in at once, whatever was guessed.
        password_reset_completed(user=form.user, ip_address=client_ip(self.request))
        return response


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
    if not request.user.is_authenticated and user.is_active:
        # The link reached this mailbox, as a password-reset link would: that proves enough.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Thank you: your email address is confirmed."))
    return redirect(_safe_next(request) or f"/{user.preferred_language}/")


@login_required
@require_POST
def verify_email_resend(request):
    if request.user.email_verified:
        messages.info(request, _("Your email address is already confirmed."))
    else:
        try:
            user_email_verification_resend(
                user=request.user, base_url=request.build_absolute_uri("/")
            )
        except Throttled as throttled:
            response = TemplateResponse(
                request, "accounts/throttled.html", {"message": throttled.message}
            )
            return _throttled(response, throttled)
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


# --- Data rights (docs/data-rights.md) ----------------------------------------------------------


def _export_filename(user, extension: str) -> str:
    return f"majlis-my-data-{timezone.localdate().isoformat()}.{extension}"


@login_required
def my_data(request):
    """Where a citizen downloads their data and finds how to delete their account."""
    return TemplateResponse(
        request, "accounts/my_data.html", {"refusal": erasure_refusal(user=request.user)}
    )


@login_required
@require_POST
def my_data_export(request, fmt: str):
    """Everything stored about the citizen, as JSON or as a readable page (a download)."""
    data = user_data_export(user=request.user)
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
            content_type="application/json; charset=utf-8",
        )
    else:
        response = TemplateResponse(
            request,
            "accounts/my_data_export.html",
            {"sections": export_sections(data), "generated_at": data["generated_at"]},
        )
        response.render()
    response["Content-Disposition"] = (
        f'attachment; filename="{_export_filename(request.user, fmt)}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request):
    """Deleting one's own account, after typing the password again."""
    refusal = erasure_refusal(user=request.user)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and refusal is None and form.is_valid():
        user_erase(
            user=request.user,
            remove_contributions=form.cleaned_data["remove_contributions"],
        )
        logout(request)
        return redirect(reverse("accounts:account_deleted"))
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "accounts/account_delete.html", {"form": form, "refusal": refusal}, status=status
    )


def account_deleted(request):
    return TemplateResponse(request, "accounts/account_deleted.html")
