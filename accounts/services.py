import math
from urllib.parse import urlencode

from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import ngettext

from accounts import conf
from accounts.models import User, normalise_email
from accounts.names import strip_format_characters
from accounts.ratelimits import address_key, rate_limit_clear, rate_limit_hit
from accounts.tokens import email_verification_token


class Throttled(Exception):
    """Too many attempts from this account or address: wait ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext(
            "Too many attempts. Please wait %(count)d second and try again.",
            "Too many attempts. Please wait %(count)d seconds and try again.",
            seconds,
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many attempts. Please wait %(count)d minute and try again.",
        "Too many attempts. Please wait %(count)d minutes and try again.",
        minutes,
    ) % {"count": minutes}


def _throttle(*, action: str, account: str, ip_address: str | None, prefix: str) -> None:
    """Count one ``action`` for the account (an address as typed, or a user id) and for the
    client address; raise Throttled past ``<prefix>_PER_ACCOUNT`` or ``<prefix>_PER_IP``."""
    identities = {"account": (account, conf.get(f"{prefix}_PER_ACCOUNT"))}
    if f"{prefix}_PER_IP" in conf.DEFAULTS:
        identities["ip"] = (ip_address or "", conf.get(f"{prefix}_PER_IP"))
    exceeded = rate_limit_hit(action=action, identities=identities)
    if exceeded:
        raise Throttled(_wait_message(exceeded.retry_after), retry_after=exceeded.retry_after)


def _login_identities(*, email: str, ip_address: str | None) -> dict:
    account = normalise_email(email)
    return {
        # Tight: one client address guessing one account's password.
        "account_ip": (
            f"{account}|{address_key(ip_address or '')}" if account else "",
            conf.get("ACCOUNTS_LOGIN_RATE_PER_ACCOUNT_AND_IP"),
        ),
        # Loose: guesses at one account spread over many client addresses.
        "account": (account, conf.get("ACCOUNTS_LOGIN_RATE_PER_ACCOUNT")),
        # One client address trying many accounts.
        "ip": (ip_address or "", conf.get("ACCOUNTS_LOGIN_RATE_PER_IP")),
    }


def login_attempt_count(*, email: str, ip_address: str | None) -> None:
    """Count a log-in attempt for the address typed (whether or not it has an account: the
    answer must not tell), for that address from this client address, and for the client
    address, before the password is checked, so that parallel guesses are counted too.
    Raises Throttled past ACCOUNTS_LOGIN_RATE_*.

    The tight limit is per (account, client address): an attacker elsewhere cannot keep the
    owner out; per account alone only a loose hourly limit applies (docs/security.md)."""
    exceeded = rate_limit_hit(
        action="login", identities=_login_identities(email=email, ip_address=ip_address)
    )
    if exceeded:
        raise Throttled(_wait_message(exceeded.retry_after), retry_after=exceeded.retry_after)


def login_counts_clear(*, email: str, ip_address: str | None) -> None:
    """Forget the account's log-in attempts and its attempts from this client address (not
    the client address's own count, so one address cannot try many accounts by knowing one
    password)."""
    identities = _login_identities(email=email, ip_address=ip_address)
    for kind in ("account", "account_ip"):
        value, rates = identities[kind]
        if value:
            rate_limit_clear(action="login", kind=kind, value=value, rates=rates)


def login_succeeded(*, email: str, ip_address: str | None) -> None:
    """The right password was given: the account's counts start again."""
    login_counts_clear(email=email, ip_address=ip_address)


def password_reset_completed(*, user: User, ip_address: str | None) -> None:
    """A new password was set through a reset link: the owner may log in at once, whatever
    was guessed before (the account's counts start again, as after a log-in)."""
    login_counts_clear(email=user.email, ip_address=ip_address)


def password_reset_throttle(*, email: str, ip_address: str | None) -> None:
    """Count a password-reset request for the address typed and the client address."""
    _throttle(
        action="password_reset", account=normalise_email(email), ip_address=ip_address,
        prefix="ACCOUNTS_PASSWORD_RESET_RATE",
    )


class EmailTaken(Exception):
    """Another account already uses this email address."""


def user_sign_up(
    *,
    email: str,
    display_name: str,
    password: str,
    preferred_language: str,
    governorate: str = "",
) -> User:
    """Create a citizen's account. Raises EmailTaken if the address is in use, even in a race.

    The password is hashed once, before anything else, whether or not the address is taken:
    a sign-up with a taken address costs the same time as one with a new address."""
    encoded = make_password(password)
    try:
        with transaction.atomic():
            user = User(
                email=normalise_email(email),
                password=encoded,
                display_name=strip_format_characters(display_name),
                preferred_language=preferred_language,
                governorate=governorate,
            )
            user.save()
            return user
    except IntegrityError as exc:
        if User.objects.filter(email=normalise_email(email)).exists():
            raise EmailTaken(email) from exc
        raise


def user_sign_up_request(
    *,
    email: str,
    display_name: str,
    password: str,
    preferred_language: str,
    governorate: str = "",
    ip_address: str | None,
    base_url: str,
    next_url: str = "",
) -> User | None:
    """A sign-up from the public form, which must not tell whether an address has an account.

    Counted per address typed and per client address (raises Throttled). A new address gets
    its account and a confirmation link; an address that already has an account gets, instead,
    an email saying so with a link to choose a new password, and nothing is created. Returns
    the new account, or None; the caller answers the same way in both cases.
    """
    _throttle(
        action="sign_up", account=normalise_email(email), ip_address=ip_address,
        prefix="ACCOUNTS_SIGN_UP_RATE",
    )
    try:
        user = user_sign_up(
            email=email,
            display_name=display_name,
            password=password,
            preferred_language=preferred_language,
            governorate=governorate,
        )
    except EmailTaken:
        # The password was hashed all the same (user_sign_up): the time taken tells nothing.
        existing = User.objects.filter(email=normalise_email(email)).first()
        if existing is not None:
            user_account_exists_send(user=existing, base_url=base_url)
        return None
    user_email_verification_send(user=user, base_url=base_url, next_url=next_url)
    return user


def _mail(*, user: User, template: str, context: dict) -> None:
    """One email to ``user``, in their language."""
    with translation.override(user.preferred_language):
        send_mail(
            subject=render_to_string(f"accounts/email/{template}_subject.txt", context).strip(),
            message=render_to_string(f"accounts/email/{template}.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


def user_account_exists_send(*, user: User, base_url: str) -> None:
    """Tell the owner of an address that someone (likely they) tried to sign up with it, with
    a link to choose a new password and one to log in."""
    base = base_url.rstrip("/")
    with translation.override(user.preferred_language):
        reset = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        login = reverse("accounts:login")
    context = {"user": user, "reset_link": base + reset, "login_link": base + login}
    _mail(user=user, template="account_exists", context=context)


def user_email_verification_send(*, user: User, base_url: str, next_url: str = "") -> None:
    """Mail ``user`` a link that confirms their address; ``base_url`` is e.g. https://host.
    ``next_url`` (already checked as safe) is where the link leads once confirmed."""
    with translation.override(user.preferred_language):
        path = reverse(
            "accounts:verify_email",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": email_verification_token.make_token(user),
            },
        )
    if next_url:
        path += "?" + urlencode({"next": next_url})
    context = {"user": user, "link": base_url.rstrip("/") + path}
    _mail(user=user, template="verify_email", context=context)


def user_email_verification_resend(*, user: User, base_url: str) -> None:
    """"Send me the link again", counted per account (raises Throttled)."""
    _throttle(
        action="verify_resend", account=str(user.pk), ip_address=None,
        prefix="ACCOUNTS_VERIFY_RESEND_RATE",
    )
    user_email_verification_send(user=user, base_url=base_url)


def user_email_verify(*, user: User) -> User:
    """Record that ``user`` has shown they receive mail at their address."""
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


def user_notifications_update(
    *,
    user: User,
    notify_replies: bool,
    notify_moderation: bool,
    notify_closing_soon: bool,
    notify_outcomes: bool,
) -> User:
    """Record which emails ``user`` wants: replies, moderation decisions, closing reminders,
    outcomes and decisions."""
    user.notify_replies = notify_replies
    user.notify_moderation = notify_moderation
    user.notify_closing_soon = notify_closing_soon
    user.notify_outcomes = notify_outcomes
    user.save(
        update_fields=["notify_replies", "notify_moderation", "notify_closing_soon", "notify_outcomes"]
    )
    return user
