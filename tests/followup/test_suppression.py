"""Complementary suppression: no hidden count can be worked back from what is shown."""

import random

import pytest

from kinsight.followup.suppression import hidden_cells, shown


def _grid(rows):
    """A table as cells (r, c), with a total column "T" and a total row "T"."""
    values = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            values[(r, c)] = value
        values[(r, "T")] = sum(row)
    for c in range(len(rows[0])):
        values[("T", c)] = sum(row[c] for row in rows)
    values[("T", "T")] = sum(map(sum, rows))
    keys_r = [*range(len(rows)), "T"]
    keys_c = [*range(len(rows[0])), "T"]
    lines = [((r, "T"), [(r, c) for c in keys_c[:-1]]) for r in keys_r]
    lines += [(("T", c), [(r, c) for r in keys_r[:-1]]) for c in keys_c]
    return values, lines


def _recoverable(values, lines, hidden):
    """A hidden cell that one line gives back (the line's only hidden cell)."""
    for total, parts in lines:
        missing = [k for k in (total, *parts) if k in hidden]
        if len(missing) == 1:
            return missing[0]
    return None


def test_small_counts_are_hidden_zero_and_large_shown():
    values = {"a": 3, "b": 0, "c": 12, "d": 40}
    assert hidden_cells(values, [], 5) == {"a"}


def test_a_zero_is_hidden_only_as_the_last_complement():
    values, lines = _grid([[12, 3, 0], [20, 15, 8]])
    hidden = hidden_cells(values, lines, 5)
    assert {(0, 1), (0, 0)} <= hidden  # the non-zero complement in the row comes first
    assert _recoverable(values, lines, hidden) is None


def test_complement_in_the_row_and_column_of_a_single_small_cell():
    # Row 0: 3 is hidden; the row total and the column total would give it back, so one
    # more cell is hidden in its row and one in its column (and then in theirs).
    values, lines = _grid([[10, 3, 12], [9, 14, 11], [20, 30, 40]])
    hidden = hidden_cells(values, lines, 5)
    assert (0, 1) in hidden
    assert len([k for k in hidden if k[0] == 0]) >= 2
    assert len([k for k in hidden if k[1] == 1]) >= 2
    assert _recoverable(values, lines, hidden) is None
    # The complement is the smallest shown cell of the line.
    assert (1, 0) in hidden or (0, 0) in hidden


def test_a_small_total_is_hidden_with_its_parts():
    values, lines = _grid([[1, 2], [30, 40]])
    hidden = hidden_cells(values, lines, 5)
    assert {(0, 0), (0, 1), (0, "T")} <= hidden
    assert _recoverable(values, lines, hidden) is None


def test_nothing_small_nothing_hidden():
    values, lines = _grid([[10, 20], [30, 0]])
    assert hidden_cells(values, lines, 5) == set()


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_never_give_a_hidden_cell_back(seed):
    rng = random.Random(seed)
    rows = [[rng.choice([0, 1, 2, 4, 5, 7, 12, 30]) for _ in range(4)] for _ in range(5)]
    values, lines = _grid(rows)
    hidden = hidden_cells(values, lines, 5)
    assert all(values[k] >= 5 or values[k] == 0 or k in hidden for k in values)
    assert _recoverable(values, lines, hidden) is None


def test_shown_text():
    assert shown(None, 5) == "<5"
    assert shown(0, 5) == "0"
    assert shown(17, 5) == "17"


def test_the_threshold_is_a_setting(settings):
    settings.KINSIGHT_SUPPRESSION_THRESHOLD = 3
    values = {"a": 3, "b": 2, "t": 5}
    assert hidden_cells(values, [("t", ["a", "b"])]) == {"a", "b"}
    assert shown(None) == "<3"


def _table():
    from kinsight.followup.tables import TOTAL, Column, Row, Table

    columns = [
        Column("children", "Barn"),
        Column("attended", "Uppmärksammade"),
        Column("share", "Andel", kind="share", depends=("children", "attended")),
    ]
    rows = [
        Row("a", "Enhet A", {"children": 3, "attended": 3, "share": 1.0}),
        Row("b", "Enhet B", {"children": 40, "attended": 30, "share": 0.75}),
        Row("c", "Enhet C", {"children": 20, "attended": 12, "share": 0.6}),
    ]
    total = Row(TOTAL, "Totalt", {"children": 63, "attended": 45, "share": 45 / 63})
    return Table("t", "Test", "Enhet", columns, rows, total)


def test_a_published_table_hides_small_counts_their_complements_and_shares():
    table = _table().published(5)
    a, b, c = table.rows
    assert a.values["children"] is None and a.values["share"] is None
    # The column total would give unit A's 3 back: the smallest other unit is hidden too.
    assert c.values["children"] is None
    assert b.values["children"] == 40
    assert table.total.values["children"] == 63
    assert table.text(a, table.columns[0]) == "<5"
    assert table.text(b, table.columns[2]) == "75 %"
    data = table.as_dict()
    assert data["rows"][0]["children"] == "<5"
    assert data["rows"][0]["share"] is None
    assert data["suppression_threshold"] == 5


def test_a_table_inside_the_unit_is_not_suppressed():
    table = _table()
    assert table.rows[0].values["children"] == 3
    assert table.as_dict()["rows"][0]["children"] == 3
