"""Tests for the long-range agreement set in seqmodels.data."""

from __future__ import annotations

import numpy as np
import pytest

from seqmodels.data import AGREEMENT_NOUNS, AGREEMENT_VERBS, AgreementSet, make_agreement_set

SINGULAR = {s for s, _ in AGREEMENT_NOUNS}
PLURAL = {p for _, p in AGREEMENT_NOUNS}


def test_agreement_set_has_requested_size_and_fields():
    data = make_agreement_set(50, 4, seed=0)
    assert isinstance(data, AgreementSet)
    assert len(data.sentences) == len(data.labels) == len(data.verb_forms) == 50
    assert data.labels.dtype == np.int64 and set(data.labels) <= {0, 1}
    assert data.subject_positions.shape == data.verb_positions.shape == (50,)


@pytest.mark.parametrize("distance", [0, 1, 3, 7, 12])
def test_subject_is_exactly_distance_words_before_the_verb(distance):
    data = make_agreement_set(40, distance, seed=1)
    assert np.all(data.verb_positions - data.subject_positions - 1 == distance)
    for tokens, s, v in zip(data.sentences, data.subject_positions, data.verb_positions):
        assert tokens[0] == "the" and tokens[-1] == "."
        assert tokens[s] in SINGULAR | PLURAL
        assert len(tokens) == distance + 5


def test_verb_and_subject_agree_with_the_label():
    data = make_agreement_set(200, [0, 2, 5], seed=2)
    for tokens, label, s, v, pair in zip(
        data.sentences, data.labels, data.subject_positions, data.verb_positions, data.verb_forms
    ):
        assert pair in AGREEMENT_VERBS
        assert tokens[v] == pair[label]
        assert (tokens[s] in PLURAL) == (label == 1)


def test_filler_between_subject_and_verb_carries_no_number():
    data = make_agreement_set(300, list(range(1, 10)), seed=3)
    verbs = {v for pair in AGREEMENT_VERBS for v in pair}
    fillers = [
        w
        for tokens, s, v in zip(data.sentences, data.subject_positions, data.verb_positions)
        for w in tokens[s + 1 : v]
    ]
    assert not (set(fillers) & (SINGULAR | PLURAL | verbs))
    # the same filler words appear with both labels
    by_label = [
        {w for t, lab, s, v in zip(data.sentences, data.labels, data.subject_positions, data.verb_positions)
         for w in t[s + 1 : v] if lab == label}
        for label in (0, 1)
    ]
    assert by_label[0] == by_label[1]


def test_labels_are_balanced_and_distances_mixed_when_a_list_is_given():
    data = make_agreement_set(2000, [1, 4, 8], seed=4)
    assert 0.45 < data.labels.mean() < 0.55
    assert set(data.verb_positions - data.subject_positions - 1) == {1, 4, 8}


def test_agreement_set_is_reproducible_for_a_seed_and_varies_with_it():
    a = make_agreement_set(30, 3, seed=5)
    b = make_agreement_set(30, 3, seed=5)
    c = make_agreement_set(30, 3, seed=6)
    assert a.sentences == b.sentences and np.array_equal(a.labels, b.labels)
    assert a.sentences != c.sentences


def test_agreement_set_rejects_bad_arguments():
    with pytest.raises(ValueError, match="num_sentences must be >= 1"):
        make_agreement_set(0, 2)
    with pytest.raises(TypeError, match="num_sentences must be an integer"):
        make_agreement_set(2.0, 2)
    with pytest.raises(ValueError, match="distance must be >= 0"):
        make_agreement_set(5, -1)
    with pytest.raises(TypeError, match="distance must be an integer"):
        make_agreement_set(5, 1.5)
    with pytest.raises(ValueError, match="distance is an empty sequence"):
        make_agreement_set(5, [])
    with pytest.raises(ValueError, match="distance must be >= 0"):
        make_agreement_set(5, [1, -2])
    with pytest.raises(ValueError, match="seed must be >= 0"):
        make_agreement_set(5, 1, seed=-1)
