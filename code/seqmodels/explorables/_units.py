"""What chapter 4's and chapter 8's explorables share: text coloured by one unit, a unit picker.

Not an explorable itself (its name starts with an underscore, so :func:`discover` skips it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from seqmodels.lm import UnitScore, pick_units

DECIMALS = 2


def unit_label(score: UnitScore) -> str:
    """The picker's text for a unit: its number, its best property and its correlation."""
    return f"unit {score.unit}: {score.property} (r = {score.r:+.2f})"


def records(text: str, activations: np.ndarray, units: Sequence[UnitScore]) -> list[dict]:
    """One row per character of ``text``: its line, column, glyph and the chosen units' values (u0, u1, ...)."""
    A = np.asarray(activations)
    if A.ndim != 2 or A.shape[0] != len(text):
        raise ValueError(f"activations must have one row per character ({len(text)}), got shape {A.shape}")
    rows, line, col = [], 0, 0
    for i, c in enumerate(text):
        row = {"line": line, "col": col, "ch": "↵" if c == "\n" else c}
        row |= {f"u{k}": round(float(A[i, s.unit]), DECIMALS) for k, s in enumerate(units)}
        rows.append(row)
        line, col = (line + 1, 0) if c == "\n" else (line, col + 1)
    return rows


def chart(text: str, activations: np.ndarray, ranking: Sequence[UnitScore], title: str, state: str = "h"):
    """Text coloured by one unit's value, with a select of the most interpretable units first."""
    import altair as alt

    units = pick_units(ranking)
    data = records(text, activations, units)
    # Each unit is shaded on its own scale, its largest |value| in the text: an LSTM's cell
    # state reaches tens in some units and stays near 0.1 in others.
    limits = [max(abs(r[f"u{k}"]) for r in data) or 1.0 for k in range(len(units))]
    unit = alt.param(
        name="unit",
        value=0,
        bind=alt.binding_select(
            options=list(range(len(units))), labels=[unit_label(s) for s in units], name=f"{state}: "
        ),
    )
    limit = alt.param(name="limits", value=limits)
    base = alt.Chart(alt.Data(values=data)).transform_calculate(
        value="datum['u' + unit]", shade="datum['u' + unit] / limits[unit]"
    )
    cells = (
        base.mark_rect()
        .encode(
            x=alt.X("col:O", axis=None),
            y=alt.Y("line:O", axis=None),
            color=alt.Color(
                "shade:Q",
                scale=alt.Scale(scheme="redblue", domain=[-1, 1], reverse=True),
                title="value / largest |value|",
            ),
            tooltip=["ch:N", alt.Tooltip("value:Q", format="+.2f")],
        )
        .properties(name="units")
    )
    glyphs = base.mark_text(font="monospace", fontSize=12).encode(
        x=alt.X("col:O", axis=None),
        y=alt.Y("line:O", axis=None),
        text="ch:N",
        color=alt.condition("abs(datum.shade) > 0.6", alt.value("white"), alt.value("black")),
    )
    return (
        alt.layer(cells, glyphs)
        .add_params(unit, limit)
        .properties(title=title, width=alt.Step(9), height=alt.Step(16))
        .configure_view(stroke=None)
    )


def expected_values(spec: dict, slot: int) -> list[dict]:
    """What the browser should draw for picker position ``slot``: every character's value, in text order."""
    return [{"value": row[f"u{slot}"]} for row in data_values(spec, f"u{slot}")]


def data_values(spec: dict, field: str) -> list[dict]:
    """The rows of the first dataset in a Vega-Lite ``spec`` whose rows hold ``field``.

    Altair may leave a chart's rows inline (``data.values``) or gather them under
    ``datasets``; this finds them either way, for tests that compare a spec with the package.
    """
    found: list[list[dict]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("values"), list):
                found.append(node["values"])
            if isinstance(node.get("datasets"), dict):
                found.extend(node["datasets"].values())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    for rows in found:
        if rows and isinstance(rows[0], dict) and field in rows[0]:
            return rows
    raise ValueError(f"no dataset in the spec has rows with field {field!r}")
