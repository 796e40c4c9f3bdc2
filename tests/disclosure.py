"""What a reader can work out from a suppressed table, computed independently of
``cms.disclosure``'s search: the tests' attacker.

``linear_disclosures`` is the differencing attack in full: every published count (and every
total known from elsewhere) is an equation over the hidden cells; exact rational elimination
says which hidden counts follow from them by adding and subtracting. ``feasible_values``
enumerates every table a reader could believe (each hidden cell within what its label says:
under the threshold, or the threshold and more) for tables small enough to enumerate.
"""

import itertools
from fractions import Fraction

from cms.disclosure import COMPLEMENTARY, TOTAL


def _cells(dimensions):
    return list(itertools.product(*[list(categories) + [TOTAL] for categories in dimensions]))


def _members(key, fine):
    return [cell for cell in fine if all(k in (TOTAL, c) for k, c in zip(key, cell))]


def _reduce(vector, pivots):
    vector = list(vector)
    for column, row in pivots:
        if vector[column]:
            factor = vector[column]
            vector = [a - factor * b for a, b in zip(vector, row)]
    return vector


def linear_disclosures(dimensions, table, *, known=None) -> list[tuple]:
    """The hidden cells (counts or totals) whose value follows from the published ones and
    ``known`` ({cell: value}: totals public elsewhere) by linear algebra."""
    known = known or {}
    fine = list(itertools.product(*dimensions))
    hidden = [cell for cell in fine if not table[cell].shown and cell not in known]
    index = {cell: i for i, cell in enumerate(hidden)}
    members = {key: _members(key, fine) for key in _cells(dimensions)}

    def vector(key):
        out = [Fraction(0)] * len(hidden)
        for cell in members[key]:
            if cell in index:
                out[index[cell]] += 1
        return out

    pivots: list[tuple[int, list]] = []  # reduced rows, each with its pivot column
    for key in members:
        if table[key].shown or key in known:
            row = _reduce(vector(key), pivots)
            column = next((i for i, a in enumerate(row) if a), None)
            if column is None:
                continue
            row = [a / row[column] for a in row]
            pivots = [(c, [a - r[column] * b for a, b in zip(r, row)]) for c, r in pivots]
            pivots.append((column, row))
    return [
        key
        for key in members
        if not table[key].shown and key not in known and not any(_reduce(vector(key), pivots))
    ]


def feasible_values(dimensions, table, *, threshold, known=None, ceiling=60) -> dict:
    """{hidden cell: the set of values it takes among every table consistent with what is
    published}. Hidden counts range over 0…threshold−1 (labelled small) or threshold…ceiling
    (labelled withheld). For small tables only."""
    known = known or {}
    fine = list(itertools.product(*dimensions))
    hidden = [cell for cell in fine if not table[cell].shown]
    cells = _cells(dimensions)
    members = {key: _members(key, fine) for key in cells}

    def most(cell):  # no more than any published total it is part of
        totals = [table[key].value for key in cells if table[key].shown and cell in members[key]]
        return min(totals + [known[key] for key in known if cell in members[key]] + [ceiling])

    ranges = [
        range(threshold, most(cell) + 1)
        if table[cell].suppressed == COMPLEMENTARY
        else range(threshold)
        for cell in hidden
    ]
    seen = {key: set() for key in cells if not table[key].shown}
    for values in itertools.product(*ranges):
        world = {cell: table[cell].value for cell in fine if table[cell].shown}
        world.update(zip(hidden, values))
        sums = {key: sum(world[cell] for cell in members[key]) for key in cells}
        if any(sums[key] != value for key, value in known.items()):
            continue
        consistent = True
        for key in cells:
            published = table[key]
            if published.shown:
                consistent = sums[key] == published.value
            elif published.suppressed == COMPLEMENTARY:
                consistent = sums[key] >= threshold
            else:
                consistent = sums[key] < threshold
            if not consistent:
                break
        if consistent:
            for key, values in seen.items():
                values.add(sums[key])
    return seen
