"""Accounts' settings, each overridable in Django settings under the same name (the
``DELIBERATION_*`` habit of ``deliberation/conf.py``). Rates are in ``limits``' notation;
several rates for one identity all apply. The numbers and why: docs/security.md."""

from django.conf import settings

DEFAULTS = {
    # Where every rate-limit counter lives (posts too): "" means Redis when REDIS_URL is set,
    # else this process's memory. Any ``limits`` storage URI works.
    "ACCOUNTS_RATE_LIMIT_STORAGE": "",
    # Log-in attempts per address typed (whether or not it has an account) from one client
    # address (tight), per address typed from anywhere (loose: distributed guessing; an
    # attacker can keep the owner out for at most the hour), and per client address. A
    # successful log-in or password reset clears the account's counts (its own and from that
    # client address), not the client address's.
    "ACCOUNTS_LOGIN_RATE_PER_ACCOUNT_AND_IP": ["10/15 minutes"],
    "ACCOUNTS_LOGIN_RATE_PER_ACCOUNT": ["100/hour"],
    "ACCOUNTS_LOGIN_RATE_PER_IP": ["30/15 minutes", "300/day"],
    # Sign-ups per client address, and per address typed (each one mails that address).
    "ACCOUNTS_SIGN_UP_RATE_PER_IP": ["5/hour", "20/day"],
    "ACCOUNTS_SIGN_UP_RATE_PER_ACCOUNT": ["3/hour", "6/day"],
    # Password-reset requests (each may mail the address typed).
    "ACCOUNTS_PASSWORD_RESET_RATE_PER_ACCOUNT": ["3/hour", "6/day"],
    "ACCOUNTS_PASSWORD_RESET_RATE_PER_IP": ["10/hour", "50/day"],
    # "Send me the confirmation link again", per signed-in account.
    "ACCOUNTS_VERIFY_RESEND_RATE_PER_ACCOUNT": ["3/hour", "6/day"],
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
