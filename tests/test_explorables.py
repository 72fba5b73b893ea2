"""seqmodels.explorables: the explorable figures' machinery and every discovered explorable."""

from __future__ import annotations

import pytest

from seqmodels.explorables import BrowserCheck, Explorable, discover, source_hash


def _chart():
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "mark": "point",
        "data": {"values": []},
    }


def test_explorable_returns_its_states_as_a_json_ready_spec():
    spec = Explorable(name="demo", chapter=1, title="A demo", states=_chart, alt="Nothing.").spec()
    assert spec["mark"] == "point"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": "not a name"}, ValueError),
        ({"chapter": 0}, ValueError),
        ({"chapter": True}, ValueError),
        ({"title": " "}, ValueError),
        ({"alt": ""}, ValueError),
        ({"states": "spec"}, TypeError),
    ],
)
def test_explorable_rejects_bad_fields(kwargs, error):
    fields = {"name": "demo", "chapter": 1, "title": "A demo", "states": _chart, "alt": "Nothing."} | kwargs
    with pytest.raises(error):
        Explorable(**fields)


def test_spec_rejects_what_is_not_vega_lite_and_what_json_cannot_hold():
    with pytest.raises(TypeError, match="schema"):
        Explorable(name="demo", chapter=1, title="t", states=lambda: {"mark": "point"}, alt="a").spec()
    with pytest.raises(ValueError):
        Explorable(
            name="demo", chapter=1, title="t", states=lambda: _chart() | {"x": float("nan")}, alt="a"
        ).spec()


def test_browser_check_checks_its_fields_and_reads_expected_from_the_spec():
    check = BrowserCheck(controls={"tau": 4}, mark="fit", expected=lambda spec: [{"n": len(spec)}])
    assert check.expected_items({"a": 1}) == [{"n": 1}]
    with pytest.raises(TypeError):
        BrowserCheck(controls={}, mark="fit", expected=[])
    with pytest.raises(TypeError):
        BrowserCheck(controls={"tau": 4}, mark="", expected=[])


def test_discover_finds_explorables_by_their_module_names():
    found = discover()
    assert all(isinstance(spec, Explorable) and spec.name == name for name, spec in found.items())


def test_source_hash_is_stable():
    assert source_hash() == source_hash() and len(source_hash()) == 16
