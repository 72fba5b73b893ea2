"""Tests for seqmodels.agreement: recurrent language models on subject-verb agreement."""

from __future__ import annotations

import pytest
import torch

from seqmodels.agreement import (
    BOS,
    PAD,
    AgreementLM,
    NumberPredictor,
    accuracy_by_distance,
    agreement_vocab,
    encode_sentences,
    lm_agreement_accuracy,
    number_prediction_accuracy,
    seed_spread,
    train_agreement_lm,
    train_number_predictor,
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


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_number_predictor_gives_two_logits_after_every_prefix(small, cell):
    data, vocab = small
    inputs, _ = encode_sentences(data, vocab)
    model = NumberPredictor(len(vocab), cell, embed_size=4, hidden_size=6)
    assert model.cell == cell and model(inputs).shape == (*inputs.shape, 2)


def test_number_predictor_reads_only_the_words_before_the_verb(small):
    """Changing the verb and what follows it cannot change the prediction at the verb."""
    data, vocab = small
    model = NumberPredictor(len(vocab), "lstm", embed_size=4, hidden_size=6)
    inputs, _ = encode_sentences(data, vocab)
    rows = torch.arange(len(inputs))
    verb = torch.from_numpy(data.verb_positions)
    changed = inputs.clone()
    for i, v in enumerate(data.verb_positions):
        changed[i, v + 1 :] = vocab.token_to_idx["the"]  # inputs after the verb's position: the verb onwards
    with torch.no_grad():
        assert torch.equal(model(inputs)[rows, verb], model(changed)[rows, verb])


def test_number_accuracy_scores_ties_half_and_reads_the_label(small):
    data, vocab = small
    model = NumberPredictor(len(vocab), "rnn", embed_size=4, hidden_size=6)
    with torch.no_grad():
        model.head.weight.zero_()
        model.head.bias.zero_()
    assert number_prediction_accuracy(model, data, vocab) == 0.5
    with torch.no_grad():
        model.head.bias.copy_(torch.tensor([0.0, 1.0]))  # always "plural"
    assert number_prediction_accuracy(model, data, vocab) == pytest.approx(data.labels.mean())


def test_number_predictor_learns_an_easy_set_and_is_seeded():
    data = make_agreement_set(400, [0, 3, 6], seed=0, attractors=0.25, matching_nouns=0.25)
    vocab = agreement_vocab(data)
    kwargs = dict(max_steps=80, batch_size=32, lr=0.02, embed_size=8, hidden_size=16, seed=3, progress=False)
    model, history = train_number_predictor("lstm", data, vocab, **kwargs)
    again, _ = train_number_predictor("lstm", data, vocab, **kwargs)
    assert len(history.train_loss) == 80 and history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), again.parameters()))
    other, _ = train_number_predictor("lstm", data, vocab, **{**kwargs, "seed": 4})
    assert not all(torch.equal(p, q) for p, q in zip(model.parameters(), other.parameters()))
    test = make_agreement_set(200, 6, seed=1, attractors=1.0)
    assert number_prediction_accuracy(model, test, vocab) > 0.95


def test_number_predictor_rejects_bad_inputs(small):
    data, vocab = small
    with pytest.raises(ValueError, match="cell must be one of"):
        NumberPredictor(len(vocab), "transformer")
    with pytest.raises(ValueError, match="vocab_size"):
        NumberPredictor(1)
    with pytest.raises(ValueError, match="embed_size"):
        NumberPredictor(10, embed_size=0)
    with pytest.raises(ValueError, match="inputs must be an int64 tensor"):
        NumberPredictor(10)(torch.zeros(2, 3))
    with pytest.raises(TypeError, match="model must be a NumberPredictor"):
        number_prediction_accuracy(AgreementLM(len(vocab)), data, vocab)
    with pytest.raises(TypeError, match="data must be an AgreementSet"):
        number_prediction_accuracy(NumberPredictor(len(vocab)), data.sentences, vocab)
    with pytest.raises(TypeError, match="vocab must be a Vocab"):
        train_number_predictor("lstm", data, {"the": 0})
    with pytest.raises(ValueError, match="max_steps"):
        train_number_predictor("lstm", data, vocab, max_steps=0)
    with pytest.raises(ValueError, match="lr"):
        train_number_predictor("lstm", data, vocab, lr=0.0)
    with pytest.raises(ValueError, match="seed"):
        train_number_predictor("lstm", data, vocab, seed=-1)
    with pytest.raises(ValueError, match=r"batch_size must be <= the number of sentences \(40\)"):
        train_number_predictor("lstm", data, vocab, batch_size=41)


def test_number_accuracy_feeds_the_model_on_its_own_device(small, devices_fed):
    data, vocab = small
    model = NumberPredictor(len(vocab), "rnn", embed_size=4, hidden_size=4)
    assert devices_fed(model, lambda m: number_prediction_accuracy(m, data, vocab)) == {torch.device("meta")}


RUNS = [
    {"model": "rnn", "task": "lm", "seed": 0, "plain": [1.0, 0.5]},
    {"model": "rnn", "task": "lm", "seed": 1, "plain": [0.8, 0.7]},
    {"model": "lstm", "task": "lm", "seed": 0, "plain": [0.2, 0.3]},
]


def test_seed_spread_summarises_only_the_matching_runs():
    mean, low, high = seed_spread(RUNS, "plain", model="rnn")
    assert (
        mean.tolist() == pytest.approx([0.9, 0.6])
        and low.tolist() == [0.8, 0.5]
        and high.tolist() == [1.0, 0.7]
    )
    mean, low, high = seed_spread(RUNS, "plain", model="lstm", task="lm")
    assert mean.tolist() == low.tolist() == high.tolist() == [0.2, 0.3]


def test_seed_spread_rejects_bad_inputs():
    with pytest.raises(TypeError, match="runs must be a list of dicts"):
        seed_spread({"runs": RUNS}, "plain")
    with pytest.raises(ValueError, match="no run has"):
        seed_spread(RUNS, "plain", model="gru")
    with pytest.raises(ValueError, match="key 'attractor' is missing"):
        seed_spread(RUNS, "attractor", model="rnn")
