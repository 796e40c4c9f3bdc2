"""Tracking numbers: the format read over the phone, unguessable and unique, and a check
symbol that catches every single mistyped symbol and every swap of two neighbours."""

import re

from citizen_requests import tracking
from citizen_requests.tracking import ALPHABET


def test_a_number_reads_as_desk_year_and_two_groups_of_four():
    number = tracking.tracking_number_new(prefix="KEF", year=2026)
    assert re.fullmatch(r"KEF-26-[0-9A-HJKMNP-TV-Y]{4}-[0-9A-HJKMNP-TV-Y]{4}", number)
    assert tracking.normalize(number) == number


def test_numbers_do_not_repeat_and_all_carry_their_check_symbol():
    numbers = {tracking.tracking_number_new(prefix="TUN", year=2026) for _ in range(5000)}
    assert len(numbers) == 5000
    assert all(tracking.normalize(number) == number for number in numbers)


def _symbols(number: str) -> str:
    return number.split("-", 2)[2].replace("-", "")


def test_every_single_mistyped_symbol_is_caught():
    for _ in range(20):
        symbols = _symbols(tracking.tracking_number_new(prefix="KEF", year=2026))
        for position in range(len(symbols)):
            for wrong in ALPHABET:
                if wrong != symbols[position]:
                    typo = symbols[:position] + wrong + symbols[position + 1:]
                    assert not tracking.is_valid(typo), (symbols, typo)


def test_every_swap_of_two_neighbours_is_caught():
    for _ in range(200):
        symbols = _symbols(tracking.tracking_number_new(prefix="KEF", year=2026))
        for position in range(len(symbols) - 1):
            a, b = symbols[position], symbols[position + 1]
            if a != b:
                swapped = symbols[:position] + b + a + symbols[position + 2:]
                assert not tracking.is_valid(swapped), (symbols, swapped)


def test_what_a_citizen_types_is_forgiven_where_it_can_be():
    number = "KEF-26-10K4-Q9XC"
    symbols = "10K4Q9X"
    number = f"KEF-26-{symbols[:4]}-{symbols[4:]}{tracking.check_symbol(symbols)}"
    typed = number.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    assert tracking.normalize(typed) == number
    arabic_digits = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert tracking.normalize(arabic_digits) == number


def test_a_mistyped_or_malformed_number_normalizes_to_nothing():
    number = tracking.tracking_number_new(prefix="KEF", year=2026)
    last = number[-1]
    typo = number[:-1] + ("0" if last != "0" else "1")
    assert tracking.normalize(typo) == ""
    assert tracking.normalize("") == ""
    assert tracking.normalize("KEF-26-123") == ""
    assert tracking.normalize("<script>") == ""


def test_a_secret_code_matches_only_itself_and_is_stored_as_a_keyed_hash():
    code = tracking.secret_code_new()
    digest = tracking.secret_code_digest(number="KEF-26-AAAA-AAAA", code=code)
    assert code.replace("-", "") not in digest
    assert tracking.secret_code_matches(number="KEF-26-AAAA-AAAA", code=code.lower(), digest=digest)
    assert not tracking.secret_code_matches(number="KEF-26-AAAA-AAAB", code=code, digest=digest)
    assert not tracking.secret_code_matches(number="KEF-26-AAAA-AAAA", code="0000-0000", digest=digest)
    assert not tracking.secret_code_matches(number="KEF-26-AAAA-AAAA", code=code, digest="")
