"""The shared character language model: shapes, state handling, training, evaluation, sampling."""

from __future__ import annotations

import math
import pathlib

import numpy as np
import pytest
import torch
from torch import nn

from seqmodels import lm
from seqmodels.data import Vocab
from seqmodels.lm import (
    CharLM,
    char_logprobs,
    detach,
    evaluate_lm,
    next_char_probs,
    perplexity,
    sample,
    train_lm,
)
from seqmodels.rnn import ScratchRNN

TEXT = "abcabcabd " * 60  # a tiny, very predictable corpus


@pytest.fixture
def vocab() -> Vocab:
    return Vocab(TEXT, unk=None)


@pytest.fixture
def ids(vocab) -> list[int]:
    return vocab.encode(TEXT)


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_forward_shapes_for_every_torch_cell(cell):
    torch.manual_seed(0)
    model = CharLM(11, hidden_size=9, cell=cell, embed_size=4)
    logits, state = model(torch.randint(0, 11, (3, 5)))
    assert logits.shape == (3, 5, 11)
    states = state if isinstance(state, tuple) else (state,)
    assert all(s.shape == (1, 3, 9) for s in states)


def test_a_module_cell_sets_embedding_and_hidden_sizes():
    model = CharLM(7, cell=ScratchRNN(5, 6, batch_first=True))
    assert model.embedding.embedding_dim == 5
    assert model.output.in_features == 6 and model.output.out_features == 7


def test_carrying_the_state_equals_one_long_pass():
    torch.manual_seed(0)
    model = CharLM(6, hidden_size=8).double()
    X = torch.randint(0, 6, (2, 10))
    whole, _ = model(X)
    first, state = model(X[:, :4])
    second, _ = model(X[:, 4:], state)
    assert torch.allclose(torch.cat([first, second], dim=1), whole, atol=1e-12)


def test_detach_cuts_the_graph_for_tensors_and_tuples():
    h = torch.ones(2, requires_grad=True) * 2
    assert detach(None) is None
    assert not detach(h).requires_grad
    a, b = detach((h, h * 3))
    assert not a.requires_grad and not b.requires_grad
    assert torch.equal(b, torch.full((2,), 6.0))


def test_untrained_model_scores_about_log_vocab_size(vocab, ids):
    torch.manual_seed(0)
    model = CharLM(len(vocab), hidden_size=16, embed_size=8)
    nats = evaluate_lm(model, ids, batch_size=4, num_steps=10)
    assert abs(nats - math.log(len(vocab))) < 0.5


def test_evaluate_accepts_lists_arrays_and_tensors(vocab, ids):
    torch.manual_seed(0)
    model = CharLM(len(vocab), hidden_size=8, embed_size=4)
    results = {
        evaluate_lm(model, x, batch_size=2, num_steps=7) for x in (ids, np.array(ids), torch.tensor(ids))
    }
    assert len(results) == 1


def test_training_learns_a_predictable_text(vocab, ids):
    torch.manual_seed(0)
    model = CharLM(len(vocab), cell=ScratchRNN(8, 32, batch_first=True))
    before = evaluate_lm(model, ids, batch_size=4, num_steps=10)
    history = train_lm(
        model, ids, ids, batch_size=4, num_steps=10, max_steps=40, lr=3e-2, eval_every=20, progress=False
    )
    assert history.steps == list(range(1, 41))
    assert history.eval_steps == [20, 40]
    assert history.final_eval < 0.5 * before
    assert history.final_eval == pytest.approx(evaluate_lm(model, ids, batch_size=4, num_steps=10))
    assert not model.training


def test_training_repeats_exactly_for_a_seed(vocab, ids):
    losses = []
    for _ in range(2):
        torch.manual_seed(0)
        model = CharLM(len(vocab), hidden_size=8, embed_size=4)
        losses.append(
            train_lm(model, ids, batch_size=4, num_steps=10, max_steps=15, progress=False).train_loss
        )
    assert losses[0] == losses[1]


def test_the_language_model_step_hands_the_state_on_explicitly():
    source = (pathlib.Path(lm.__file__)).read_text(encoding="utf-8")
    assert "carried" not in source  # no shared dict and closures: the loop threads the state
    assert "logits, state = model(X, detach(state))" in source


def test_a_run_records_the_arguments_of_train_lm_defaults_included(vocab, ids):
    torch.manual_seed(0)
    model = CharLM(len(vocab), hidden_size=8, embed_size=4)
    history = train_lm(model, ids, ids[:100], batch_size=4, num_steps=10, max_steps=3, progress=False)
    assert history.config["lr"] == 3e-3 and history.config["optimizer"] == "adam"  # train_lm's defaults
    assert history.config["batch_size"] == 4 and history.config["schedule"] is None
    assert history.config["model"] == "CharLM" and history.config["train_ids"] == f"list of length {len(ids)}"
    assert "step_fn" not in history.config  # the outer function's arguments, not train's


def test_patience_and_keep_best_need_validation_text(vocab, ids):
    model = CharLM(len(vocab), hidden_size=8, embed_size=4)
    with pytest.raises(ValueError, match="patience and keep_best need an evaluation"):
        train_lm(model, ids, batch_size=4, num_steps=10, max_steps=3, patience=2, progress=False)


def test_training_without_validation_records_no_evaluation(vocab, ids):
    model = CharLM(len(vocab), hidden_size=8, embed_size=4)
    history = train_lm(model, ids, batch_size=4, num_steps=10, max_steps=3, progress=False)
    assert history.eval_loss == [] and math.isnan(history.final_eval)


def test_sample_starts_with_prefix_and_has_the_requested_length(vocab):
    torch.manual_seed(0)
    model = CharLM(len(vocab), hidden_size=8, embed_size=4)
    text = sample(model, vocab, "ab", length=25, seed=1)
    assert text.startswith("ab") and len(text) == 27
    assert set(text) <= set(vocab.idx_to_token)


def test_sample_is_reproducible_and_low_temperature_is_greedy(vocab):
    torch.manual_seed(0)
    model = CharLM(len(vocab), hidden_size=8, embed_size=4)
    assert sample(model, vocab, "a", 30, seed=3) == sample(model, vocab, "a", 30, seed=3)
    # near-zero temperature: every seed picks the most likely character
    cold = {sample(model, vocab, "a", 30, temperature=1e-6, seed=s) for s in range(4)}
    assert len(cold) == 1


def test_perplexity_is_exp_of_nats():
    assert perplexity(0.0) == 1.0
    assert perplexity(math.log(65)) == pytest.approx(65)


# ---- bad input


def test_unknown_cell_name_is_rejected():
    with pytest.raises(
        ValueError, match=r"cell must be one of \['gru', 'lstm', 'rnn'\] or a module, got 'transformer'"
    ):
        CharLM(5, cell="transformer")


def test_cell_of_wrong_type_is_rejected():
    with pytest.raises(TypeError, match="cell must be a name or an nn.Module, got int"):
        CharLM(5, cell=3)


def test_module_cell_without_sizes_is_rejected():
    with pytest.raises(TypeError, match="must have attribute 'input_size'"):
        CharLM(5, cell=nn.Linear(2, 3))


def test_module_cell_must_be_batch_first():
    with pytest.raises(ValueError, match="batch_first=True"):
        CharLM(5, cell=ScratchRNN(2, 3))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"vocab_size": 0}, ValueError, "vocab_size must be >= 1, got 0"),
        ({"vocab_size": 5, "hidden_size": 0}, ValueError, "hidden_size must be >= 1, got 0"),
        ({"vocab_size": 5, "embed_size": 2.5}, TypeError, "embed_size must be an integer, got float"),
    ],
)
def test_bad_sizes_are_rejected(kwargs, error, match):
    with pytest.raises(error, match=match):
        CharLM(**kwargs)


def test_forward_rejects_inputs_that_are_not_batch_by_time():
    model = CharLM(5)
    with pytest.raises(ValueError, match=r"X must have shape \(batch, T\), got \(4,\)"):
        model(torch.zeros(4, dtype=torch.long))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"temperature": 0.0}, ValueError, "temperature must be > 0.0, got 0.0"),
        ({"temperature": -2}, ValueError, "temperature must be > 0.0, got -2.0"),
        ({"temperature": "hot"}, TypeError, "temperature must be a real number, got str"),
        ({"length": 0}, ValueError, "length must be >= 1, got 0"),
        ({"prefix": ""}, ValueError, "prefix must be a non-empty string, got ''"),
        ({"prefix": 3}, ValueError, "prefix must be a non-empty string, got 3"),
    ],
)
def test_sample_rejects_bad_arguments(vocab, kwargs, error, match):
    model = CharLM(len(vocab), hidden_size=4, embed_size=2)
    args = {"prefix": "a", "length": 5} | kwargs
    with pytest.raises(error, match=match):
        sample(model, vocab, **args)


def test_sample_rejects_a_prefix_outside_the_vocabulary(vocab):
    model = CharLM(len(vocab), hidden_size=4, embed_size=2)
    with pytest.raises(ValueError, match="token 'z' is not in the vocabulary"):
        sample(model, vocab, "z", length=3)


def test_evaluate_rejects_a_text_too_short_for_the_window():
    model = CharLM(5, hidden_size=4, embed_size=2)
    with pytest.raises(ValueError, match="num_steps=128 is too long for a corpus of 10 tokens"):
        evaluate_lm(model, list(range(5)) * 2)


def test_next_char_probs_is_the_softmax_of_the_last_scores_at_the_temperature(vocab):
    torch.manual_seed(0)
    model = CharLM(len(vocab), cell="gru", embed_size=4, hidden_size=8)
    probs = next_char_probs(model, vocab, "abc", temperature=0.5)
    logits, _ = model(torch.tensor([vocab.encode(list("abc"))]))
    expected = torch.softmax(logits[0, -1].detach().double() / 0.5, dim=-1).numpy()
    assert probs.shape == (len(vocab),) and np.allclose(probs, expected) and math.isclose(probs.sum(), 1.0)
    cold = next_char_probs(model, vocab, "abc", temperature=0.01)
    assert cold.argmax() == probs.argmax() and cold.max() > 0.99


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"temperature": 0.0}, ValueError, "temperature"),
        ({"prefix": ""}, ValueError, "prefix"),
    ],
)
def test_next_char_probs_rejects_bad_arguments(vocab, kwargs, error, match):
    model = CharLM(len(vocab), cell="rnn", embed_size=4, hidden_size=8)
    with pytest.raises(error, match=match):
        next_char_probs(model, vocab, **{"prefix": "ab", **kwargs})


@pytest.mark.parametrize("use", ["next_char_probs", "sample", "evaluate", "train"])
def test_the_model_is_fed_on_its_own_device(vocab, ids, use, devices_fed):
    model = CharLM(len(vocab), cell=ScratchRNN(4, 8, batch_first=True), embed_size=4)
    calls = {
        "next_char_probs": lambda m: next_char_probs(m, vocab, "abc"),
        "sample": lambda m: sample(m, vocab, "abc", length=3),
        "evaluate": lambda m: evaluate_lm(m, ids, batch_size=2, num_steps=8),
        "train": lambda m: train_lm(m, ids, batch_size=2, num_steps=8, max_steps=1, progress=False),
    }
    assert devices_fed(model, calls[use]) == {torch.device("meta")}


def test_char_logprobs_equal_the_cross_entropy_of_one_stream_whatever_the_chunk(vocab, ids):
    torch.manual_seed(0)
    model = CharLM(len(vocab), hidden_size=8, cell="lstm", embed_size=4)
    whole = char_logprobs(model, ids, chunk=10_000)
    assert whole.shape == (len(ids) - 1,) and np.all(whole < 0)
    np.testing.assert_allclose(char_logprobs(model, ids, chunk=7), whole, atol=1e-6)
    X, Y = torch.tensor([ids[:-1]]), torch.tensor(ids[1:])
    logits, _ = model(X)
    expected = -nn.functional.cross_entropy(logits[0].double(), Y, reduction="none").detach().numpy()
    np.testing.assert_allclose(whole, expected, atol=1e-6)


def test_char_logprobs_rejects_a_text_with_nothing_to_score():
    with pytest.raises(ValueError, match="at least 2 tokens"):
        char_logprobs(CharLM(5, hidden_size=4, embed_size=2), [3])


def test_dropout_acts_in_training_only_and_stacks_layers():
    torch.manual_seed(0)
    model = CharLM(7, hidden_size=6, cell="lstm", embed_size=4, num_layers=2, dropout=0.5)
    assert model.rnn.num_layers == 2 and model.rnn.dropout == 0.5
    X = torch.randint(0, 7, (2, 5))
    model.eval()
    a, _ = model(X)
    b, _ = model(X)
    assert torch.equal(a, b)
    model.train()
    c, _ = model(X)
    assert not torch.allclose(a, c)


def test_without_dropout_the_model_is_unchanged_by_the_new_options():
    torch.manual_seed(0)
    plain = CharLM(7, hidden_size=6, cell="gru", embed_size=4)
    torch.manual_seed(0)
    same = CharLM(7, hidden_size=6, cell="gru", embed_size=4, num_layers=1, dropout=0.0)
    X = torch.randint(0, 7, (2, 5))
    plain.train(), same.train()
    assert torch.equal(plain(X)[0], same(X)[0])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"num_layers": 0}, ValueError, "num_layers"),
        ({"dropout": 1.0}, ValueError, "dropout"),
        ({"dropout": -0.1}, ValueError, "dropout"),
        ({"dropout": "0.2"}, TypeError, "dropout"),
    ],
)
def test_bad_depth_or_dropout_is_rejected(kwargs, error, match):
    with pytest.raises(error, match=match):
        CharLM(5, hidden_size=4, cell="lstm", embed_size=2, **kwargs)


def test_depth_cannot_be_asked_of_a_ready_made_module():
    with pytest.raises(ValueError, match="num_layers"):
        CharLM(5, cell=ScratchRNN(2, 3, batch_first=True), num_layers=2)


# --------------------------------------------------------------------------- what units track

UNIT_TEXT = "HAMLET\nTo be, or not to be: that's it.\n"


def _unit_model(cell="rnn"):
    torch.manual_seed(0)
    vocab = Vocab(UNIT_TEXT, unk=None)
    return lm.CharLM(len(vocab), hidden_size=6, cell=cell, embed_size=4), vocab


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_unit_activations_are_the_layers_hidden_states(cell):
    model, vocab = _unit_model(cell)
    ids = vocab.encode(UNIT_TEXT)
    with torch.no_grad():
        H, _ = model.rnn(model.embedding(torch.tensor([ids])))
    np.testing.assert_allclose(lm.unit_activations(model, ids), H[0].numpy(), atol=1e-6)


def test_unit_activations_read_an_lstms_cell_state():
    model, vocab = _unit_model("lstm")
    ids = vocab.encode(UNIT_TEXT)
    C = lm.unit_activations(model, ids, state="c")
    with torch.no_grad():
        _, (_, c_last) = model.rnn(model.embedding(torch.tensor([ids])))
    assert C.shape == (len(ids), 6)
    np.testing.assert_allclose(C[-1], c_last[0, 0].numpy(), atol=1e-6)


def test_unit_activations_check_their_inputs():
    model, vocab = _unit_model("rnn")
    with pytest.raises(ValueError, match="needs an LSTM"):
        lm.unit_activations(model, [0, 1], state="c")
    with pytest.raises(ValueError, match="'h'"):
        lm.unit_activations(model, [0, 1], state="x")
    with pytest.raises(TypeError, match="encode"):
        lm.unit_activations(model, "ab")
    with pytest.raises(ValueError, match="lie in"):
        lm.unit_activations(model, [0, len(vocab)])


def test_text_properties_mark_line_positions_words_and_speaker_names():
    props = lm.text_properties("AB C\nit's x\n")
    assert props["position in the line"].tolist() == [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 6]
    assert props["inside a word"].tolist() == [1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0]
    assert props["in a speaker's name"].tolist() == [1, 1, 1, 1, 0] + [0] * 7
    with pytest.raises(ValueError):
        lm.text_properties("")


def test_rank_units_finds_the_unit_that_follows_a_property():
    rng = np.random.default_rng(0)
    word = rng.integers(0, 2, 200).astype(float)
    A = rng.normal(size=(200, 3))
    A[:, 2] = -word + 0.01 * rng.normal(size=200)
    A[:, 1] = 1.0  # a unit that never changes scores 0
    ranking = lm.rank_units(A, {"inside a word": word})
    assert ranking[0].unit == 2 and ranking[0].r < -0.99 and ranking[0].property == "inside a word"
    assert ranking[-1] == lm.UnitScore(1, "inside a word", 0.0)
    with pytest.raises(ValueError, match="shape"):
        lm.rank_units(A, {"x": word[:10]})
    with pytest.raises(TypeError):
        lm.rank_units(A, {})


def test_pick_units_puts_each_propertys_best_unit_first():
    ranking = [
        lm.UnitScore(3, "inside a word", 0.9),
        lm.UnitScore(1, "inside a word", -0.8),
        lm.UnitScore(0, "position in the line", 0.5),
    ]
    assert [s.unit for s in lm.pick_units(ranking, k=2)] == [3, 0]
    with pytest.raises(ValueError):
        lm.pick_units([])
