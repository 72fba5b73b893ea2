"""Tests for the long-range agreement set in seqmodels.data."""

from __future__ import annotations

import numpy as np
import pytest

from seqmodels.data import (
    AGREEMENT_NOUNS,
    AGREEMENT_VERBS,
    MIN_ATTRACTOR_DISTANCE,
    AgreementSet,
    make_agreement_set,
)

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
        {
            w
            for t, lab, s, v in zip(data.sentences, data.labels, data.subject_positions, data.verb_positions)
            for w in t[s + 1 : v]
            if lab == label
        }
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
    with pytest.raises(ValueError, match="attractors must be <= 1"):
        make_agreement_set(5, 4, attractors=1.5)
    with pytest.raises(ValueError, match="attractors must be >= 0"):
        make_agreement_set(5, 4, attractors=-0.1)
    with pytest.raises(TypeError, match="attractors must be a real number"):
        make_agreement_set(5, 4, attractors="half")
    with pytest.raises(ValueError, match="matching_nouns must be >= 0"):
        make_agreement_set(5, 4, matching_nouns=-1)
    with pytest.raises(ValueError, match=r"attractors \+ matching_nouns must be <= 1"):
        make_agreement_set(5, 4, attractors=0.6, matching_nouns=0.5)


def test_default_sentences_are_unchanged_by_the_attractor_option():
    """Chapter 2's stored outputs depend on these exact sentences."""
    data = make_agreement_set(3, [0, 4, 7], seed=0)
    assert data.sentences == [
        ["the", "boys", "near", "the", "old", "river", "are", "here", "."],
        ["the", "child", "has", "gone", "."],
        ["the", "girls", "at", "night", "and", "smiled", "have", "gone", "."],
    ]
    assert data.labels.tolist() == [1, 0, 1]
    assert data.attractors.dtype == np.int64 and data.attractors.tolist() == [0, 0, 0]
    explicit = make_agreement_set(3, [0, 4, 7], seed=0, attractors=0.0, matching_nouns=0.0)
    assert explicit.sentences == data.sentences


@pytest.mark.parametrize("distance", [3, 4, 8, 16])
def test_attractor_is_a_subject_noun_of_the_other_number_right_before_the_verb(distance):
    data = make_agreement_set(200, distance, seed=7, attractors=1.0)
    assert data.attractors.tolist() == [1] * 200
    assert np.all(data.verb_positions - data.subject_positions - 1 == distance)
    index = {w: i for i, pair in enumerate(AGREEMENT_NOUNS) for w in pair}
    for tokens, label, s, v in zip(data.sentences, data.labels, data.subject_positions, data.verb_positions):
        assert len(tokens) == distance + 5
        attractor = tokens[v - 1]
        assert attractor in (SINGULAR if label == 1 else PLURAL)
        assert index[attractor] != index[tokens[s]]  # never "the child of the children"
        assert tokens[v - 3 : v - 1] in (["of", "the"], ["with", "the"], ["the", "old"])
        # the only other subject noun between subject and verb is none: one attractor each
        assert [w for w in tokens[s + 1 : v] if w in index] == [attractor]


def test_attractors_need_room_and_come_with_the_requested_probability():
    short = make_agreement_set(100, list(range(MIN_ATTRACTOR_DISTANCE)), seed=8, attractors=1.0)
    assert not short.attractors.any()
    mixed = make_agreement_set(4000, list(range(MIN_ATTRACTOR_DISTANCE, 9)), seed=9, attractors=0.5)
    assert 0.46 < mixed.attractors.mean() < 0.54
    nouns = SINGULAR | PLURAL
    for tokens, s, v, count in zip(
        mixed.sentences, mixed.subject_positions, mixed.verb_positions, mixed.attractors
    ):
        assert sum(w in nouns for w in tokens[s + 1 : v]) == count


def test_matching_nouns_share_the_subjects_number_and_are_not_counted():
    data = make_agreement_set(100, 5, seed=10, matching_nouns=1.0)
    assert not data.attractors.any()
    index = {w: i for i, pair in enumerate(AGREEMENT_NOUNS) for w in pair}
    for tokens, label, s, v in zip(data.sentences, data.labels, data.subject_positions, data.verb_positions):
        assert tokens[v - 1] in (PLURAL if label == 1 else SINGULAR)
        assert index[tokens[v - 1]] != index[tokens[s]]


def test_with_equal_shares_the_intervening_noun_says_nothing_about_the_verb():
    """A training set must not let "the verb disagrees with the last noun" stand in for memory."""
    data = make_agreement_set(4000, list(range(3, 9)), seed=11, attractors=0.25, matching_nouns=0.25)
    plural_noun = np.array([t[v - 1] in PLURAL for t, v in zip(data.sentences, data.verb_positions)])
    has_noun = np.array([t[v - 1] in SINGULAR | PLURAL for t, v in zip(data.sentences, data.verb_positions)])
    assert 0.46 < has_noun.mean() < 0.54 and 0.46 < data.attractors[has_noun].mean() < 0.54
    # the verb is plural about as often after a singular intervening noun as after a plural one
    after_plural = data.labels[has_noun & plural_noun].mean()
    after_singular = data.labels[has_noun & ~plural_noun].mean()
    assert abs(after_plural - after_singular) < 0.06
