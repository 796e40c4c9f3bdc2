"""Small-number suppression (cms/disclosure.py): small counts hidden, and nothing hidden can be
worked back by subtracting published figures — checked by an attacker written apart from the
suppression (tests/disclosure.py), on hand-made tables and on many random ones."""

import itertools
import random

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.disclosure import (
    COMPLEMENTARY,
    SMALL,
    TOTAL,
    Count,
    count_alone,
    disclosure_threshold,
    table_suppress,
)
from tests.disclosure import feasible_values, linear_disclosures


def test_a_count_under_the_threshold_is_hidden_zero_and_larger_ones_are_shown():
    assert [count_alone(n, threshold=5) for n in (0, 1, 4, 5, 60)] == [
        Count(0), Count(None, SMALL), Count(None, SMALL), Count(5), Count(60)
    ]
    assert Count(None, SMALL).as_data() == {"count": None, "suppressed": "small"}
    assert Count(7).as_data() == {"count": 7, "suppressed": None}


def test_the_threshold_is_a_setting(settings):
    assert disclosure_threshold() == 5
    settings.MAJLIS_DISCLOSURE_THRESHOLD = 10
    assert count_alone(7) == Count(None, SMALL)
    settings.MAJLIS_DISCLOSURE_THRESHOLD = 1  # hides nothing
    assert count_alone(1) == Count(1)
    settings.MAJLIS_DISCLOSURE_THRESHOLD = 0
    with pytest.raises(ImproperlyConfigured):
        disclosure_threshold()


def test_differencing_a_published_total_gives_back_no_hidden_count():
    """3 citizens found an answer useful, 40 did not, 43 rated it. Hiding the 3 alone would
    let anyone compute 43 − 40 = 3: a second figure is hidden with it."""
    dimensions = [["useful", "not_useful"]]
    naive = {("useful",): Count(None, SMALL), ("not_useful",): Count(40), (TOTAL,): Count(43)}
    # The attack works on the naive table...
    assert linear_disclosures(dimensions, naive) == [("useful",)]
    # ...and not on the published one.
    table = table_suppress(dimensions, {("useful",): 3, ("not_useful",): 40}, threshold=5)
    assert table[("useful",)] == Count(None, SMALL)
    assert [table[("not_useful",)], table[(TOTAL,)]].count(Count(None, COMPLEMENTARY)) == 1
    assert linear_disclosures(dimensions, table) == []
    useful = feasible_values(dimensions, table, threshold=5)[("useful",)]
    assert 3 in useful and len(useful) > 1


def test_two_small_counts_that_sum_to_a_published_total_are_not_both_left_small():
    """Four kinds with one request each, the total 4 published: with each "fewer than 5",
    a reader would still know they are all 1. The total is hidden too."""
    dimensions = [["a", "b", "c", "d"]]
    table = table_suppress(dimensions, {(k,): 1 for k in "abcd"}, threshold=5)
    assert not table[(TOTAL,)].shown
    assert all(len(values) > 1 for values in feasible_values(dimensions, table, threshold=5).values())


def test_a_row_and_a_column_cannot_be_subtracted_either():
    """Requests per month and kind with every total: the small count (2) gets a rectangle of
    hidden counts, so neither its row nor its column gives it back."""
    dimensions = [["jan", "feb", "mar"], ["complaint", "notice"]]
    counts = {
        ("jan", "complaint"): 2, ("jan", "notice"): 11,
        ("feb", "complaint"): 7, ("feb", "notice"): 9,
        ("mar", "complaint"): 9, ("mar", "notice"): 14,
    }
    table = table_suppress(dimensions, counts, threshold=5)
    assert table[("jan", "complaint")] == Count(None, SMALL)
    assert table[(TOTAL, TOTAL)] == Count(52)  # the headline stays
    hidden = [key for key in table.statuses if TOTAL not in key]
    assert len(hidden) == 4 and len({m for m, _k in hidden}) == 2 and len({k for _m, k in hidden}) == 2
    assert linear_disclosures(dimensions, table) == []
    for key, values in feasible_values(dimensions, table, threshold=5).items():
        assert len(values) > 1, key


def test_a_total_known_elsewhere_is_never_hidden_nor_leaned_on():
    """Contributors by governorate, their total countable on the threads: one contributor in
    one governorate is hidden with another governorate, never with the total."""
    dimensions = [["TN-11", "TN-33", "TN-61", ""]]
    table = table_suppress(dimensions, {("TN-33",): 1, ("TN-11",): 9}, threshold=5, known=[(TOTAL,)])
    assert table[(TOTAL,)] == Count(10)
    assert table[("TN-33",)] == Count(None, SMALL)
    assert len(table.statuses) == 2
    known = {(TOTAL,): 10}
    assert linear_disclosures(dimensions, table, known=known) == []
    values = feasible_values(dimensions, table, threshold=5, known=known)
    assert all(len(v) > 1 for v in values.values())


def test_labels_tell_the_truth():
    """A hidden count under the threshold says so; one hidden to protect another says
    "withheld" (it is the threshold or more)."""
    rng = random.Random(3)
    counts = {(m, k): rng.choice([0, 1, 2, 7, 30]) for m in range(6) for k in range(4)}
    table = table_suppress([range(6), range(4)], counts, threshold=5)
    for key, status in table.statuses.items():
        assert (table.values.get(key, 0) < 5) == (status == SMALL), key


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_give_nothing_away(seed):
    """Random tables of one to three dimensions, sparse or dense: no hidden count follows from
    the published ones, every small count is hidden, every label is true."""
    rng = random.Random(seed)
    shape = rng.choice([(6,), (4, 3), (5, 4), (3, 3, 3), (4, 2, 3)])
    dimensions = [[f"{d}{i}" for i in range(size)] for d, size in enumerate(shape)]
    threshold = rng.choice([3, 5])
    counts = {}
    for cell in itertools.product(*dimensions):
        counts[cell] = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 12, 40])
    table = table_suppress(dimensions, counts, threshold=threshold)
    for key, value in table.values.items():
        if 0 < value < threshold:
            assert not table[key].shown, key
    for key in table.statuses:
        assert (table.values.get(key, 0) < threshold) == (table.statuses[key] == SMALL)
    assert linear_disclosures(dimensions, table) == []


def test_where_no_cube_keeps_within_the_labels_one_that_keeps_counts_positive_is_used():
    """A small table of three dimensions with counts on the edges (0, 4): no cube keeps every
    label true; the table is still protected against subtraction."""
    dimensions = [["a", "b"], ["c", "d"], ["e", "f"]]
    values = [6, 0, 3, 4, 6, 0, 1, 4]
    table = table_suppress(
        dimensions, dict(zip(itertools.product(*dimensions), values)), threshold=5
    )
    assert table.loose
    assert linear_disclosures(dimensions, table) == []
