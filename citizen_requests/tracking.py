"""Tracking numbers and secret codes.

A tracking number reads ``KEF-26-7K4Q-9XC2``: the request desk's code, the year, seven random
symbols and a check symbol. The symbols are Crockford's base 32 less ``Z`` (so ``2``/``Z``
are not confused on paper): 31 symbols, a prime count, so a weighted sum modulo 31 with
distinct weights catches every single mistyped symbol and every swap of two neighbours (the
difference a mistake makes is a weight, or a difference of two weights, times a difference of
two symbols: never a multiple of 31). 31^7 ≈ 2.75 × 10^10 numbers per desk and year: a
number cannot be guessed, and following a request needs its secret code too.

What a citizen types is forgiven what can be: case, spaces and dashes, Arabic-Indic digits,
and Crockford's look-alikes (O for 0, I and L for 1).
"""

import hmac
import re
import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXY"
BASE = len(ALPHABET)  # 31, a prime
RANDOM_LENGTH = 7
CODE_LENGTH = 8
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans(
    {"O": "0", "I": "1", "L": "1", **{chr(0x0660 + d): str(d) for d in range(10)},
     **{chr(0x06F0 + d): str(d) for d in range(10)}}
)
NUMBER_PATTERN = re.compile(r"^([A-Z]{2,5})-(\d{2})-([0-9A-Y]{4})-([0-9A-Y]{4})$")


def check_symbol(symbols: str) -> str:
    """The symbol that makes sum(weight × value) ≡ 0 (mod 31), weights 1, 2, 3… with the
    check symbol last."""
    total = sum((weight + 1) * _VALUES[symbol] for weight, symbol in enumerate(symbols))
    weight = len(symbols) + 1
    # weight × check ≡ -total (mod 31): 31 is prime, so weight has an inverse.
    return ALPHABET[(-total * pow(weight, -1, BASE)) % BASE]


def is_valid(symbols: str) -> bool:
    """Whether the last symbol of ``symbols`` is the check symbol of the others."""
    return (
        len(symbols) == RANDOM_LENGTH + 1
        and all(symbol in _VALUES for symbol in symbols)
        and check_symbol(symbols[:-1]) == symbols[-1]
    )


def tracking_number_new(*, prefix: str, year: int) -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    symbols += check_symbol(symbols)
    return f"{prefix}-{year % 100:02d}-{symbols[:4]}-{symbols[4:]}"


def normalize(typed: str) -> str:
    """``typed`` as a tracking number is stored, or "" if it cannot be one (wrong shape or a
    check symbol that does not match: a mistyped number is told apart from an unknown one)."""
    compact = re.sub(r"[\s\-_.–—]", "", (typed or "").upper().translate(_LOOKALIKES))
    match = re.fullmatch(r"([A-Z]{2,5})(\d{2})([0-9A-Y]{8})", compact)
    if not match:
        return ""
    prefix, year, symbols = match.groups()
    if not is_valid(symbols):
        return ""
    return f"{prefix}-{year}-{symbols[:4]}-{symbols[4:]}"


def secret_code_new() -> str:
    """A code given with the number (40 bits): read and typed as ``4X7K-2M9Q``."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def normalize_code(typed: str) -> str:
    return re.sub(r"[\s\-_.]", "", (typed or "").upper().translate(_LOOKALIKES))


def secret_code_digest(*, number: str, code: str) -> str:
    """What is stored of a secret code: a keyed hash (the key is SECRET_KEY), so a copy of
    the database alone gives no request away."""
    return salted_hmac("citizen_requests.secret_code", f"{number}:{normalize_code(code)}",
                       algorithm="sha256").hexdigest()


def secret_code_matches(*, number: str, code: str, digest: str) -> bool:
    return bool(digest) and hmac.compare_digest(
        secret_code_digest(number=number, code=code), digest
    )
