"""Tests for seqmodels.agreement: recurrent language models on subject-verb agreement."""

from __future__ import annotations

import pytest
import torch

from seqmodels.agreement import (
    BOS,
    PAD,
    AgreementLM,
    accuracy_by_distance,
    agreement_vocab,
    encode_sentences,
    lm_agreement_accuracy,
    train_agreement_lm,
)
from seqmodels.data import make_agreement_set


@pytest.fixture(scope="module")
def small():
    data = make_agreement_set(40, [0, 2], seed=0)
    return data, agreement_vocab(data)


def test_vocab_reserves_padding_and_start_and_covers_every_word(small):
    data, vocab = small
    assert PAD in vocab and BOS in vocab
    assert all(t in vocab for s in data.sentences for t in s)


def test_encoding_shifts_inputs_by_one_and_pads_both(small):
    data, vocab = small
    inputs, targets = encode_sentences(data, vocab)
    width = max(len(s) for s in data.sentences)
    assert inputs.shape == targets.shape == (40, width) and inputs.dtype == torch.int64
    pad, bos = vocab.token_to_idx[PAD], vocab.token_to_idx[BOS]
    for i, sentence in enumerate(data.sentences):
        ids = vocab.encode(sentence)
        assert inputs[i, 0] == bos and inputs[i, 1 : len(ids)].tolist() == ids[:-1]
        assert targets[i, : len(ids)].tolist() == ids
        assert (inputs[i, len(ids) :] == pad).all() and (targets[i, len(ids) :] == pad).all()
        # the target at the verb position is the verb
        assert vocab.idx_to_token[int(targets[i, data.verb_positions[i]])] in data.verb_forms[i]


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_model_gives_next_word_logits_for_every_position(small, cell):
    data, vocab = small
    inputs, _ = encode_sentences(data, vocab)
    model = AgreementLM(len(vocab), cell, embed_size=4, hidden_size=6)
    assert model(inputs).shape == (*inputs.shape, len(vocab))


def test_untrained_equal_logits_score_half_a_point_per_sentence(small):
    data, vocab = small
    model = AgreementLM(len(vocab), "rnn", embed_size=4, hidden_size=6)
    with torch.no_grad():
        model.head.weight.zero_()
        model.head.bias.zero_()
    assert lm_agreement_accuracy(model, data, vocab) == 0.5


def test_short_training_learns_agreement_and_is_seeded():
    data = make_agreement_set(400, [0, 1, 2], seed=0)
    vocab = agreement_vocab(data)
    kwargs = dict(max_steps=120, batch_size=32, lr=0.02, embed_size=8, hidden_size=16, seed=3, progress=False)
    model, history = train_agreement_lm("lstm", data, vocab, **kwargs)
    again, _ = train_agreement_lm("lstm", data, vocab, **kwargs)
    assert history.train_loss[-1] < history.train_loss[0]
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), again.parameters()))
    assert lm_agreement_accuracy(model, data, vocab) > 0.95


def test_accuracy_by_distance_scores_each_set_in_order(small):
    _, vocab = small
    tests = {3: make_agreement_set(5, 3, seed=1), 1: make_agreement_set(5, 1, seed=2)}
    result = accuracy_by_distance(lambda d: d.verb_positions[0] / 10, tests)
    assert list(result) == [1, 3] and result == {1: 0.3, 3: 0.5}


def test_bad_inputs_raise_clear_errors(small):
    data, vocab = small
    with pytest.raises(TypeError, match="data must be an AgreementSet"):
        agreement_vocab([["the", "dog", "is"]])
    with pytest.raises(TypeError, match="vocab must be a Vocab"):
        encode_sentences(data, {"the": 0})
    with pytest.raises(ValueError, match="cell must be one of"):
        AgreementLM(len(vocab), "transformer")
    with pytest.raises(ValueError, match="vocab_size"):
        AgreementLM(1)
    with pytest.raises(ValueError, match="hidden_size"):
        AgreementLM(10, hidden_size=0)
    with pytest.raises(ValueError, match="inputs must be an int64 tensor"):
        AgreementLM(10)(torch.zeros(2, 3))
    with pytest.raises(TypeError, match="model must be an AgreementLM"):
        lm_agreement_accuracy(torch.nn.Linear(2, 2), data, vocab)
    with pytest.raises(TypeError, match="score must be callable"):
        accuracy_by_distance(0.5, {0: data})
    with pytest.raises(ValueError, match="non-empty dict"):
        accuracy_by_distance(len, {})
    with pytest.raises(TypeError, match=r"tests\[2\] must be an AgreementSet"):
        accuracy_by_distance(len, {2: "sentences"})
    with pytest.raises(ValueError, match="max_steps"):
        train_agreement_lm("lstm", data, vocab, max_steps=0)
    with pytest.raises(ValueError, match="lr"):
        train_agreement_lm("lstm", data, vocab, lr=-1.0)
    with pytest.raises(ValueError, match="seed"):
        train_agreement_lm("lstm", data, vocab, seed=-2)


def test_accuracy_feeds_the_model_on_its_own_device(small, devices_fed):
    data, vocab = small
    model = AgreementLM(len(vocab), "rnn", embed_size=4, hidden_size=4)
    assert devices_fed(model, lambda m: lm_agreement_accuracy(m, data, vocab)) == {torch.device("meta")}
