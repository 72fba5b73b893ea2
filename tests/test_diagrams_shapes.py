"""The diagrams' visual language: colours, shapes, geometry and the layout checker."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from seqmodels.diagrams.shapes import (
    UNIT,
    Canvas,
    Node,
    check_choice,
    check_words,
    fill_of,
    layout_problems,
    texts,
    tint,
)
from seqmodels.plot import COLORS


def test_tint_runs_from_white_to_the_colour():
    assert tint(COLORS["blue"], 0.0) == (1.0, 1.0, 1.0)
    assert np.allclose(tint(COLORS["blue"], 1.0), (0x1F / 255, 0x77 / 255, 0xB4 / 255))


def test_each_kind_of_box_has_its_colour_and_words_are_white():
    assert fill_of("input") == tint(COLORS["green"])
    assert fill_of("state") == tint(COLORS["blue"])
    assert fill_of("token") == (1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="kind must be one of"):
        fill_of("gate")


def test_a_box_node_knows_its_edges_and_where_a_line_leaves_it():
    n = Node(1.0, 2.0, 0.5, 0.25)
    assert (n.top, n.bottom, n.left, n.right) == ((1.0, 2.25), (1.0, 1.75), (0.5, 2.0), (1.5, 2.0))
    assert n.at(-0.5, 1) == (0.75, 2.25)
    assert n.towards((3.0, 2.0)) == (1.5, 2.0)  # straight right: the right edge
    assert n.towards((2.0, 4.0)) == (1.125, 2.25)  # steep: the top edge
    assert n.towards((1.0, 2.0)) == (1.0, 2.0)


def test_a_round_node_is_left_on_its_circle():
    n = Node(0.0, 0.0, 0.5, 0.5, round=True)
    x, y = n.towards((3.0, 4.0))
    assert np.isclose(np.hypot(x, y), 0.5) and np.isclose(y / x, 4 / 3)


def test_a_canvas_is_a_pyplot_free_figure_measured_in_units():
    before = plt.get_fignums()
    c = Canvas(10, 4)
    assert isinstance(c.fig, Figure) and plt.get_fignums() == before
    assert tuple(c.fig.get_size_inches()) == pytest.approx((10 * UNIT, 4 * UNIT))
    assert c.ax.get_xlim() == (0, 10) and not c.ax.axison


def test_shapes_and_labels_carry_the_gids_the_checker_reads():
    c = Canvas(6, 3)
    c.box((1, 1), "$h_t$")
    c.op((3, 1), "+")
    c.op((4, 1), "⊙")  # drawn as a dot, no text
    c.op((5, 1), "tanh")
    c.label((3, 2.5), "$W_{hh}$")
    assert texts(c.fig) == ["$h_t$", "+", "tanh", "$W_{hh}$"]
    assert [t.get_gid() for t in c.ax.texts] == ["box-text", "box-text", "box-text", "label"]
    assert sum(p.get_gid() == "node" for p in c.ax.patches) == 4


def test_a_line_that_passes_over_gets_a_halo():
    c = Canvas(4, 2)
    c.arrow((0.5, 1), (3.5, 1), over="white")
    c.path([(0.5, 0.5), (2, 0.5), (2, 1.5)], over="white", dashed=True)
    c.arrow((0.5, 1.5), (3.5, 1.5))
    assert [bool(p.get_path_effects()) for p in c.ax.patches] == [True, True, False]


def test_an_arrow_label_defaults_to_the_middle_and_a_loop_is_labelled():
    c = Canvas(4, 2)
    c.arrow((0.5, 1), (3.5, 1), label="$W_{hh}$")
    assert c.ax.texts[0].get_position() == (2.0, 1.0)
    c.loop(Node(1, 1, 0.5, 0.3), "$W_{hh}$")
    assert len(c.ax.patches) == 2 and texts(c.fig) == ["$W_{hh}$", "$W_{hh}$"]


def test_a_path_needs_two_points():
    with pytest.raises(ValueError, match="at least two points"):
        Canvas(2, 2).path([(0, 0)])


def test_cells_draw_one_square_per_value():
    c = Canvas(4, 4)
    strip = c.cells((2, 2), [0.0, 0.5, 1.0], cell=0.5, horizontal=True)
    column = c.cells((2, 3), [0.2, 0.4], cell=0.5)
    assert len(c.ax.patches) == 5
    assert (strip.hw, strip.hh, column.hw, column.hh) == (0.75, 0.25, 0.25, 0.5)


def test_a_clean_diagram_has_no_layout_problems():
    c = Canvas(6, 3)
    c.box((1, 1.5), "$x_t$", "input")
    c.label((3, 1.5), "$W_{xh}$")
    assert layout_problems(c.fig) == []


def test_the_checker_finds_overlapping_labels():
    c = Canvas(6, 3)
    c.label((3, 1.5), "$W_{xh}$")
    c.label((3.1, 1.5), "$W_{hh}$")
    assert layout_problems(c.fig) == ["texts '$W_{xh}$' and '$W_{hh}$' overlap"]


def test_the_checker_finds_text_and_shapes_cut_off_at_the_edge():
    c = Canvas(6, 3)
    c.label((0.0, 1.5), "a label at the edge")
    c.box((5.9, 2.0), "", "state")
    assert layout_problems(c.fig) == [
        "text 'a label at the edge' is cut off by the figure's edge",
        "a shape is cut off by the figure's edge",
    ]


def test_the_checker_finds_a_label_lying_on_a_shape():
    c = Canvas(6, 3)
    c.box((3, 1.5), "", "state", w=2.0)
    c.label((3.2, 1.5), "$f_t$")
    assert layout_problems(c.fig) == ["label '$f_t$' lies on a shape"]


def test_the_checkers_want_a_figure():
    with pytest.raises(TypeError, match="matplotlib Figure"):
        layout_problems("figure")
    with pytest.raises(TypeError, match="matplotlib Figure"):
        texts(None)


def test_check_choice_names_the_choices():
    assert check_choice("mode", "train", ("train", "infer")) == "train"
    with pytest.raises(ValueError, match=r"mode must be one of \['train', 'infer'\], got 'test'"):
        check_choice("mode", "test", ("train", "infer"))
    with pytest.raises(TypeError, match="mode must be a string"):
        check_choice("mode", 1, ("train", "infer"))


@pytest.mark.parametrize(
    "words, error, message",
    [
        ("the cat", TypeError, "sequence of strings"),
        ((), ValueError, "1 to 3 words"),
        (("a", "b", "c", "d"), ValueError, "1 to 3 words"),
        (("a", 2), TypeError, "non-empty string"),
        (("a", ""), TypeError, "non-empty string"),
    ],
)
def test_check_words_rejects_what_cannot_be_drawn(words, error, message):
    with pytest.raises(error, match=message):
        check_words("words", words, max_count=3)


def test_check_words_returns_a_tuple():
    assert check_words("words", ["the", "cat"], max_count=3) == ("the", "cat")
