"""Verification codes: printed on each signed document, typed with its reference to find it.

Ten symbols of Crockford's base 32 less ``Z`` (the alphabet of tracking numbers, so a citizen
types one kind of code), written ``7K4Q9-XC2M8``: 31^10 ≈ 8 × 10^14 codes (49 bits). A code
is only tried with its reference, and the tries of one reference are limited
(``SIGNATURES_VERIFY_RATE_PER_REFERENCE``, 10 an hour): guessing one would take millions of
years. What a citizen types is forgiven what can be: case, spaces and dashes, Arabic-Indic
digits, and the look-alikes O (0), I and L (1).
"""

import hmac
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXY"
LENGTH = 10
_LOOKALIKES = str.maketrans(
    {"O": "0", "I": "1", "L": "1", **{chr(0x0660 + d): str(d) for d in range(10)},
     **{chr(0x06F0 + d): str(d) for d in range(10)}}
)


def verification_code_new() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{symbols[:5]}-{symbols[5:]}"


def normalize_code(typed: str) -> str:
    return re.sub(r"[\s\-_.–—]", "", (typed or "").upper().translate(_LOOKALIKES))


def codes_match(typed: str, stored: str) -> bool:
    return bool(stored) and hmac.compare_digest(normalize_code(typed), normalize_code(stored))


def normalize_reference(typed: str) -> str:
    """A reference as stored: blanks around it dropped, upper case, Latin digits (tracking
    numbers are upper case; a contribution id is digits)."""
    digits = {chr(0x0660 + d): str(d) for d in range(10)} | {chr(0x06F0 + d): str(d) for d in range(10)}
    return (typed or "").strip().upper().translate(str.maketrans(digits))[:64]
