"""Small-number suppression: every count of people that Majlis publishes (the requests'
dashboard and its open data, consultations' participation statistics) goes through here, so
that no published figure counts fewer than ``MAJLIS_DISCLOSURE_THRESHOLD`` (default 5) people,
and no such count can be worked out by subtracting published figures from one another.

**Tables, not single numbers.** Published counts come in tables: a table has dimensions
(institution, month, kind of request, stage…), a count per combination of categories, and
every total along any dimension (a margin: ``TOTAL`` in that dimension's place). All margins
are treated as published, whether or not a page shows them.

**Primary suppression.** A count from 1 to threshold − 1 is hidden and shown as "fewer than
<threshold>". Zero is shown (no person to protect), unless hidden as below.

**Complementary suppression, by hypercubes.** Hiding a small count is not enough when a total
is published: total − the other counts = the hidden one. So for each small count ``p`` not
already protected, a *hypercube* of counts around it is hidden with it: in every dimension
one other category is chosen (another institution, another month… or the dimension's total),
and every combination of ``p``'s categories and the chosen ones is hidden (2 counts in a
one-dimensional table, 4 in two dimensions, 16 in four). Add 1 to the corners an even number
of steps from ``p`` and subtract 1 from the others (a corner that is a total along a
dimension moves with the count it sums), and every total of the table stays the same: the
published figures cannot tell the true table from the changed one, so ``p`` — and every other
hidden corner — cannot be worked out from them. This is the "hypercube method" of statistical
offices' tools (τ-ARGUS, GHMITER), here without a solver.

A hidden count of 5 or more (it was hidden to protect another) is shown as "withheld", and a
hidden count under 5 (zero included) as "fewer than 5", so every label is true.

**Which cube.** The one that hides least: counts already hidden or small cost nothing, zeros
little, large counts more and totals most (``TOTAL_WEIGHT`` times per dimension they total:
an institution's total of requests is a headline). Every cube must keep all counts from going
below zero when moved; one always exists (the cube between the small count and a non-zero
count it sums, whose corners all go down by one together). A cube whose move also keeps
every label true (0–4 stays 0–4, 5 and more stays 5 and more) is preferred while it hides at
most ``STRICT_PREMIUM`` times as much: then even a reader who reasons on the labels cannot
tell the two tables apart. In sparse tables such a cube can cost an institution's headline
total; the others are counted in ``SuppressedTable.loose``. Cubes are built one dimension at
a time (the ``BRANCHES`` cheapest partners and the total in each, branch and bound), and
among combinations of each dimension's cheapest partners when that would hide a total.
A table with more than ``QUICK_ABOVE`` small counts (hundreds of institutions with few
requests each) gives each the first cube found that keeps counts non-negative, cheapest
partners first: the same guarantee against subtraction, more counts hidden, a hundred times
faster (bench/requests_statistics.py).

**What it guarantees, and what not.** No hidden count can be worked out exactly by adding and
subtracting published figures (``tests/disclosure.py`` is that attacker, written apart from
this search). A hidden count may still be narrowed to a few values (say "1 or 2"). Separate
tables are suppressed separately: tables published side by side are built so that they share
no total (docs/requests.md, "Statistics").
"""

import itertools
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from cms.l10n import localize_digits

TOTAL = "*"  # the category of a margin: the total along that dimension
SMALL = "small"  # hidden: fewer than the threshold (0 included when hidden as a complement)
COMPLEMENTARY = "complementary"  # hidden: the threshold or more, to protect a small count
DEFAULT_THRESHOLD = 5
# Partners tried, at most, while looking for the cheapest cube around one small count.
SEARCH_STEPS = 500
TOTAL_WEIGHT = 10  # hiding a total costs this many times its count, per dimension it totals
BRANCHES = 3  # partners tried per dimension: the cheapest ones (and the total)
# A cube that keeps every label true is preferred while it hides at most this many times more.
STRICT_PREMIUM = 2
# Past this many small counts, each gets the first cube found that keeps counts non-negative
# (the search above costs ~1 ms per small count: 100 s for 400 institutions' sparse tables).
QUICK_ABOVE = 2_000


def disclosure_threshold() -> int:
    """``MAJLIS_DISCLOSURE_THRESHOLD``: counts under it are hidden (1 hides nothing)."""
    value = getattr(settings, "MAJLIS_DISCLOSURE_THRESHOLD", DEFAULT_THRESHOLD)
    if not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured("MAJLIS_DISCLOSURE_THRESHOLD must be a whole number from 1.")
    return value


@dataclass(frozen=True, slots=True)
class Count:
    """A published count: its value, or None and why it is hidden (``SMALL``,
    ``COMPLEMENTARY``)."""

    value: int | None
    suppressed: str | None = None

    @property
    def shown(self) -> bool:
        return self.suppressed is None

    def as_data(self) -> dict:
        """As the JSON files and the API give it: ``{"count": 12, "suppressed": null}``,
        ``{"count": null, "suppressed": "small"}``."""
        return {"count": self.value, "suppressed": self.suppressed}


def count_text(count: Count, language: str | None = None) -> str:
    """The count as a reader sees it, in the active language and its digits: "12", "fewer
    than 5", "withheld"."""
    if count.shown:
        return localize_digits(str(count.value), language)
    if count.suppressed == SMALL:
        threshold = localize_digits(str(disclosure_threshold()), language)
        return _("fewer than %(threshold)s") % {"threshold": threshold}
    return _("withheld")


def count_alone(value: int, *, threshold: int | None = None) -> Count:
    """A count published on its own, part of no published total: hidden when small."""
    threshold = disclosure_threshold() if threshold is None else threshold
    return Count(None, SMALL) if 0 < value < threshold else Count(value)


class SuppressedTable:
    """A table's counts and margins, as published. ``table[key]`` is a ``Count``; a key has a
    category (or ``TOTAL``) per dimension. Plain dicts inside, so it caches well."""

    def __init__(self, values: dict[tuple, int], statuses: dict[tuple, str], loose: int = 0):
        self.values = values  # the table's non-zero counts, margins included
        self.statuses = statuses  # the hidden ones: key → SMALL or COMPLEMENTARY
        self.loose = loose  # cubes that could not keep within every label (docstring)

    def __getitem__(self, key: tuple) -> Count:
        status = self.statuses.get(key)
        return Count(None, status) if status else Count(self.values.get(key, 0))

    def __eq__(self, other):
        return (
            isinstance(other, SuppressedTable)
            and self.values == other.values
            and self.statuses == other.statuses
        )


def table_suppress(
    dimensions: Sequence[Sequence[Hashable]],
    counts: Mapping[tuple, int],
    *,
    threshold: int | None = None,
    known: Iterable[tuple] = (),
) -> SuppressedTable:
    """Suppress a table whose cells are ``counts`` (a key per combination of ``dimensions``'
    categories; missing keys count 0) and all its margins.

    ``known``: cells (usually totals) that are public anyway, elsewhere: never hidden, and no
    cube may use them (a consultation's contributors are countable on its threads)."""
    threshold = disclosure_threshold() if threshold is None else threshold
    dimensions = [list(categories) for categories in dimensions]
    known = set(known)
    values = _margins(counts, len(dimensions))
    primaries = sorted(
        (key for key, value in values.items() if 0 < value < threshold and key not in known),
        key=lambda key: (-key.count(TOTAL), values[key], tuple(map(str, key))),
    )
    search = _Search(dimensions, values, threshold, known, marked=set(primaries))
    search.quick = len(primaries) > QUICK_ABOVE
    for primary in primaries:
        if primary in search.protected:
            continue
        cube = search.best_cube(primary)
        search.protected.update(cube)
        search.marked.update(cube)
    statuses = {
        key: SMALL if values.get(key, 0) < threshold else COMPLEMENTARY for key in search.protected
    }
    return SuppressedTable(values, statuses, loose=search.loose)


def _margins(counts: Mapping[tuple, int], n: int) -> dict[tuple, int]:
    """The non-zero cells with every margin: each count added to the 2ⁿ keys where any of
    its categories is replaced by ``TOTAL``."""
    masks = list(itertools.product((False, True), repeat=n))
    values: dict[tuple, int] = {}
    for key, value in counts.items():
        if value < 0:
            raise ValueError(f"A count cannot be negative: {key!r} = {value}")
        if not value:
            continue
        for mask in masks:
            margin = tuple(TOTAL if total else category for category, total in zip(key, mask))
            values[margin] = values.get(margin, 0) + value
    return values


class _Search:
    """The cheapest qualifying cube around a small count (module docstring), built one
    dimension at a time: the partners that hide least first, each new corner checked as it
    is added, backing up when a dimension has no partner that qualifies."""

    def __init__(self, dimensions, values, threshold, known, marked):
        self.axes = [categories + [TOTAL] for categories in dimensions]
        self.values = values
        self.threshold = threshold
        self.known = known
        self.marked = marked  # hidden, or small (to be hidden anyway): free to hide
        self.protected: set[tuple] = set()  # hidden, each on a qualifying cube
        self.loose = 0
        self.quick = False

    def cost(self, key: tuple) -> int:
        """What hiding the cell loses: nothing if it is hidden (or small) already; else its
        count, ten times more for each dimension it totals (an institution's total of
        requests is a headline; one month's complaints in one stage is not)."""
        if key in self.marked:
            return 0
        return (self.values.get(key, 0) + 1) * TOTAL_WEIGHT ** key.count(TOTAL)

    def fits(self, key: tuple, move: int) -> bool:
        """Whether the cell, moved by ``move``, is still what its label says (under the
        threshold, or the threshold and more); a known cell cannot move."""
        if key in self.known:
            return False
        value = self.values.get(key, 0)
        if value < self.threshold:
            return 0 <= value + move < self.threshold
        return value + move >= self.threshold

    def fits_loosely(self, key: tuple, move: int) -> bool:
        """Whether the cell, moved by ``move``, is still a count (not below zero)."""
        return key not in self.known and self.values.get(key, 0) + move >= 0

    def _hides_a_total(self, cube) -> bool:
        return cube[1] is not None and any(TOTAL in key and key not in self.marked for key in cube[1])

    def best_cube(self, primary: tuple) -> list[tuple]:
        """The cheapest cube that keeps every count non-negative; replaced by one that also
        keeps every label true when one costs at most ``STRICT_PREMIUM`` times as much. In
        quick mode, the cheaper of the first found in each direction."""
        if self.quick:
            found = [self._cube(primary, d, self.fits_loosely, bound=None) for d in (-1, 1)]
            found = [cube for cube in found if cube is not None and cube[1] is not None]
            self.loose += 1
            return min(found)[1] if found else self._chain(primary)
        loose = self._search(primary, self.fits_loosely, bound=None)
        if loose is None:
            chain = self._chain(primary)
            loose = (sum(self.cost(key) for key in chain), chain)
        limit = loose[0] * STRICT_PREMIUM + 2 ** len(primary)
        strict = self._search(primary, self.fits, bound=(limit, None))
        if strict is not None and strict[1] is not None:
            return strict[1]
        self.loose += 1
        return loose[1]

    def _search(self, primary: tuple, fits, bound):
        """(cost, corners) of the cheapest cube found under ``bound`` (cost, corners or None)
        whose corners all still ``fits`` when moved: built dimension by dimension in both
        directions, then, if that hides a total, among combinations of partners."""
        enough = 2 ** len(primary)  # every new corner an empty cell, or free
        best = bound
        for direction in (-1, 1):
            found = self._cube(primary, direction, fits, bound=best)
            if found is not None and found[1] is not None and self._hides_a_total(found):
                found = self._cube(primary, direction, fits, bound=found)
            if found is not None and found[1] is not None:
                best = found
                if best[0] <= enough:
                    return best
        if best is None or best[1] is None or self._hides_a_total(best):
            found = self._combinations(primary, fits, bound=best)
            if found is not None:
                best = found
        return best if best is not None and best[1] is not None else None

    def _combinations(self, primary: tuple, fits, bound):
        """The cheapest cube made of each dimension's ``BRANCHES`` cheapest partners (by the
        count next to ``primary``) and its total, cheaper than ``bound``."""
        n = len(primary)
        options = []
        for d in range(n):
            ranked = sorted(
                (self.cost(primary[:d] + (category,) + primary[d + 1 :]), index, category)
                for index, category in enumerate(self.axes[d])
                if category != primary[d]
            )
            chosen = [category for _cost, _index, category in ranked[:BRANCHES]]
            if primary[d] != TOTAL and TOTAL not in chosen:
                chosen.append(TOTAL)
            options.append(chosen)
        best = bound
        for direction in (-1, 1):
            found = self._cube(primary, direction, fits, bound=best, candidates=options)
            if found is not None:
                best = found
        return best

    def _chain(self, primary: tuple) -> list[tuple]:
        """The cube between ``primary`` and a non-zero count it sums (or itself): every
        corner is a total over that count, so all can go down by one together. It always
        exists; it hides totals, hence the last resort."""
        under = next(
            key
            for key, value in sorted(self.values.items(), key=lambda item: tuple(map(str, item[0])))
            if value > 0
            and TOTAL not in key
            and all(p in (TOTAL, k) for p, k in zip(primary, key))
        )
        partners = [TOTAL if p != TOTAL else k for p, k in zip(primary, under)]
        return [
            tuple(partners[d] if mask[d] else primary[d] for d in range(len(primary)))
            for mask in itertools.product((False, True), repeat=len(primary))
        ]

    def _cube(self, primary: tuple, direction: int, fits, bound, candidates=None):
        """(cost, corners) of a cube when ``primary`` moves by ``direction`` with every corner
        still ``fits``: depth first, one dimension at a time, trying in each the
        ``BRANCHES`` cheapest partners and the dimension's total. Without ``bound``, the first
        one found; with one (a cube already found), the cheapest, a branch given up once it
        costs as much (at most ``SEARCH_STEPS`` partners tried). ``candidates``: the partners
        to try in each dimension, all of them, instead."""
        if not fits(primary, direction):
            return None
        cost, axes, n = self.cost, self.axes, len(primary)
        steps = [SEARCH_STEPS]
        best: list = [bound]  # (cost, corners)

        def extend(dimension: int, corners: list, spent: int) -> bool:
            """Whether to stop searching."""
            if dimension == n:
                best[0] = (spent, [key for key, _sign in corners])
                return bound is None
            here = primary[dimension]
            options = []
            tried = axes[dimension] if candidates is None else candidates[dimension]
            for index, category in enumerate(tried):
                if category == here:
                    continue
                # Along a dimension, a category and its total move together; two categories,
                # in opposite directions.
                flip = 1 if TOTAL in (here, category) else -1
                added, added_cost = [], 0
                for key, sign in corners:
                    moved = key[:dimension] + (category,) + key[dimension + 1 :]
                    if not fits(moved, sign * flip * direction):
                        break
                    added.append((moved, sign * flip))
                    added_cost += cost(moved)
                else:
                    if added_cost == 0 and bound is None:
                        # The first cube wanted, and this partner is free: no other does
                        # better here (a large dimension is not scanned to the end).
                        steps[0] -= 1
                        if steps[0] >= 0 and extend(dimension + 1, corners + added, spent):
                            return True
                        continue
                    options.append((added_cost, index, added))
            options.sort(key=lambda option: option[:2])
            # The cheapest few, and the dimension's total (its counts are never all empty).
            if candidates is None:
                total = [option for option in options[BRANCHES:] if tried[option[1]] == TOTAL]
                options = options[:BRANCHES] + total
            for added_cost, _index, added in options:
                if best[0] is not None and spent + added_cost >= best[0][0]:
                    return False  # the rest cost more still
                steps[0] -= 1
                if steps[0] < 0:
                    return True
                if extend(dimension + 1, corners + added, spent + added_cost):
                    return True
            return False

        extend(0, [(primary, 1)], 0)
        return best[0]
