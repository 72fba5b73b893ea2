"""What the package refuses, and what it says: one table per check of ``seqmodels.validation``.

Each row calls a public entry point (a layer, a step function, the translator) with one bad
argument and names the error and the message it must give. The module test files
(``test_rnn.py``, ``test_gated.py``, ``test_seq2seq.py``) keep to what the code computes.
"""

import numpy as np
import pytest
import torch
from torch import nn

from seqmodels.gated import ScratchGRU, ScratchLSTM, gru_step, lstm_gate_trace, lstm_step
from seqmodels.phrases import build_vocabs, encode_pairs, make_phrase_pairs
from seqmodels.rnn import ScratchRNN, rnn_step
from seqmodels.seq2seq import (
    Decoder,
    Encoder,
    Seq2Seq,
    accuracy_by_length,
    dot_product_attention,
    edit_accuracy,
    edit_distance,
    exact_match,
    greedy_decode,
    make_translator,
    next_word_scorer,
    token_accuracy,
    train_translator,
    translate,
)
from seqmodels.validation import (
    check_fraction,
    check_int,
    check_positive_int,
    check_real,
    check_token_sequences,
)


def _table(rows):
    """``pytest.param``s from rows ``(id, call, error, match)``."""
    return [pytest.param(call, error, match, id=name) for name, call, error, match in rows]


def _rejects(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------- numbers


def test_check_int_accepts_numpy_integers_and_rejects_bools_and_floats():
    assert check_int("n", np.int64(3)) == 3
    with pytest.raises(TypeError, match="n must be an integer, got bool True"):
        check_int("n", True)
    with pytest.raises(TypeError, match="n must be an integer, got float 2.0"):
        check_int("n", 2.0)


def test_check_positive_int_names_argument_value_and_bound():
    with pytest.raises(ValueError, match="size must be >= 1, got 0"):
        check_positive_int("size", 0)


@pytest.mark.parametrize(
    "value, kwargs, match",
    [
        (0.0, {"low": 0.0, "low_open": True}, "lr must be > 0.0, got 0.0"),
        (-1.0, {"low": 0.0}, "lr must be >= 0.0, got -1.0"),
        (1.0, {"high": 1.0, "high_open": True}, "lr must be < 1.0, got 1.0"),
        (2.0, {"high": 1.0}, "lr must be <= 1.0, got 2.0"),
        (float("nan"), {}, "lr must be finite"),
        (float("inf"), {}, "lr must be finite"),
    ],
)
def test_check_real_rejects_values_outside_the_interval(value, kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_real("lr", value, **kwargs)


def test_check_real_accepts_bounds_and_rejects_non_numbers():
    assert check_real("x", 0, low=0.0) == 0.0
    with pytest.raises(TypeError, match="x must be a real number, got str"):
        check_real("x", "1")


def test_check_fraction_is_half_open():
    assert check_fraction("f", 0.0) == 0.0
    with pytest.raises(ValueError, match="f must be < 1.0"):
        check_fraction("f", 1.0)


def test_check_token_sequences_returns_a_list_and_names_what_is_wrong():
    assert check_token_sequences("seqs", (s for s in ["ab", ("c",)])) == ["ab", ("c",)]
    with pytest.raises(TypeError, match="got a single str; wrap it in a list"):
        check_token_sequences("seqs", "abc")
    with pytest.raises(TypeError, match="seqs must be an iterable of token sequences, got int"):
        check_token_sequences("seqs", 3)
    with pytest.raises(TypeError, match=r"seqs\[1\] must be a sequence of tokens"):
        check_token_sequences("seqs", [["a"], 7])
    with pytest.raises(TypeError, match="seqs must contain str tokens, got int 1"):
        check_token_sequences("seqs", [["a", 1]])
    with pytest.raises(TypeError, match="seqs must contain str tokens, got list"):
        check_token_sequences("seqs", [[["a"], "b"]])  # unhashable
    with pytest.raises(ValueError, match="reserved padding symbol '<s>' or '</s>'"):
        check_token_sequences("seqs", [["a", "</s>"]], padding=("<s>", "</s>"))


# --------------------------------------------------------------------------- recurrent layers (chapters 4, 8)

LAYER_SIZES = [
    ("input_size 0", lambda: ScratchRNN(0, 3), ValueError, "input_size must be >= 1, got 0"),
    ("hidden_size -1", lambda: ScratchRNN(2, -1), ValueError, "hidden_size must be >= 1, got -1"),
    ("input_size float", lambda: ScratchRNN(2.0, 3), TypeError, "input_size must be an integer, got float"),
    ("hidden_size bool", lambda: ScratchRNN(2, True), TypeError, "hidden_size must be an integer, got bool"),
    ("LSTM hidden_size 0", lambda: ScratchLSTM(3, 0), ValueError, "hidden_size must be >= 1"),
    ("GRU input_size 2.5", lambda: ScratchGRU(2.5, 4), TypeError, "input_size must be an integer"),
    (
        "batch_first 1",
        lambda: ScratchLSTM(3, 4, batch_first=1),
        TypeError,
        "batch_first must be True or False",
    ),
    ("bias 'yes'", lambda: ScratchGRU(3, 4, bias="yes"), TypeError, "bias must be True or False"),
]


@pytest.mark.parametrize("call, error, match", _table(LAYER_SIZES))
def test_layers_reject_bad_sizes_and_flags(call, error, match):
    _rejects(call, error, match)


NONLINEARITY = [
    (
        "layer",
        lambda: ScratchRNN(2, 3, nonlinearity="sigmoid"),
        ValueError,
        r"nonlinearity must be one of \['relu', 'tanh'\], got 'sigmoid'",
    ),
    (
        "rnn_step",
        lambda: rnn_step(
            torch.zeros(1, 2), torch.zeros(1, 3), torch.zeros(3, 2), torch.zeros(3, 3), nonlinearity="gelu"
        ),
        ValueError,
        "got 'gelu'",
    ),
]


@pytest.mark.parametrize("call, error, match", _table(NONLINEARITY))
def test_check_choice_names_the_choices(call, error, match):
    _rejects(call, error, match)


SEQUENCE_INPUT = [
    (
        "wrong feature size",
        lambda: ScratchRNN(5, 7)(torch.randn(6, 2, 4)),
        ValueError,
        r"input_size=5 .*got shape \(6, 2, 4\) with 4",
    ),
    ("LSTM wrong feature size", lambda: ScratchLSTM(3, 4)(torch.zeros(5, 2, 2)), ValueError, "3 features"),
    (
        "rank 1",
        lambda: ScratchRNN(5, 7)(torch.randn(5)),
        ValueError,
        r"input must have shape \(T, batch, input_size\).*got \(5,\)",
    ),
    (
        "rank 4, batch_first",
        lambda: ScratchRNN(5, 7, batch_first=True)(torch.randn(1, 2, 3, 5)),
        ValueError,
        r"\(batch, T, input_size\)",
    ),
    ("GRU rank 4", lambda: ScratchGRU(3, 4)(torch.zeros(5, 2, 3, 1)), ValueError, "3 dimensions"),
    ("no time step", lambda: ScratchRNN(5, 7)(torch.randn(0, 2, 5)), ValueError, "at least one time step"),
    (
        "GRU no time step",
        lambda: ScratchGRU(3, 4)(torch.zeros(0, 2, 3)),
        ValueError,
        "at least one time step",
    ),
    (
        "batch_first, no time step",
        lambda: ScratchGRU(3, 4, batch_first=True)(torch.zeros(2, 0, 3)),
        ValueError,
        "at least one time step",
    ),
    ("a list", lambda: ScratchRNN(1, 2)([[0.0]]), TypeError, "input must be a torch.Tensor, got list"),
    ("LSTM a list", lambda: ScratchLSTM(3, 4)([[1.0, 2.0, 3.0]]), TypeError, "input must be a torch.Tensor"),
    (
        "integers",
        lambda: ScratchGRU(3, 4)(torch.zeros(5, 2, 3, dtype=torch.long)),
        TypeError,
        "floating-point",
    ),
]


@pytest.mark.parametrize("call, error, match", _table(SEQUENCE_INPUT))
def test_check_sequence_input_rejects(call, error, match):
    _rejects(call, error, match)


STATES = [
    (
        "h0 without the layer axis",
        lambda: ScratchRNN(5, 7)(torch.randn(6, 2, 5), torch.zeros(2, 7)),
        ValueError,
        r"h0 must have shape \(1, 2, 7\), got \(2, 7\)",
    ),
    (
        "h0 of another batch",
        lambda: ScratchRNN(5, 7)(torch.randn(6, 2, 5), torch.zeros(1, 3, 7)),
        ValueError,
        r"h0 must have shape \(1, 2, 7\), got \(1, 3, 7\)",
    ),
    (
        "batched h0, unbatched input",
        lambda: ScratchRNN(5, 7)(torch.randn(6, 5), torch.zeros(1, 1, 7)),
        ValueError,
        r"h0 must have shape \(1, 7\), got \(1, 1, 7\)",
    ),
    (
        "h0 a list",
        lambda: ScratchRNN(5, 7)(torch.randn(6, 2, 5), [0.0] * 7),
        TypeError,
        "h0 must be a torch.Tensor",
    ),
    (
        "GRU h_0 shape",
        lambda: ScratchGRU(3, 4)(torch.zeros(5, 2, 3), torch.zeros(2, 4)),
        ValueError,
        r"h_0 must have shape \(1, 2, 4\)",
    ),
    (
        "LSTM state a tensor",
        lambda: ScratchLSTM(3, 4)(torch.zeros(5, 2, 3), torch.zeros(1, 2, 4)),
        TypeError,
        r"tuple \(h_0, c_0\)",
    ),
    (
        "GRU state a tuple",
        lambda: ScratchGRU(3, 4)(torch.zeros(5, 2, 3), (torch.zeros(1, 2, 4),)),
        TypeError,
        "not a tuple",
    ),
]


@pytest.mark.parametrize("call, error, match", _table(STATES))
def test_check_state_rejects(call, error, match):
    _rejects(call, error, match)


_x, _h = torch.zeros(2, 3), torch.zeros(2, 4)
STEPS = [
    (
        "LSTM W_ih rows",
        lambda: lstm_step(_x, _h, _h, torch.zeros(12, 3), torch.zeros(16, 4)),
        ValueError,
        "W_ih must have 16 rows",
    ),
    (
        "LSTM c shape",
        lambda: lstm_step(_x, _h, torch.zeros(2, 5), torch.zeros(16, 3), torch.zeros(16, 4)),
        ValueError,
        "c must have the shape of h",
    ),
    (
        "GRU W_ih rows",
        lambda: gru_step(_x, _h, torch.zeros(16, 3), torch.zeros(12, 4)),
        ValueError,
        "W_ih must have 12 rows",
    ),
    (
        "GRU x a list",
        lambda: gru_step([0.0], _h, torch.zeros(12, 3), torch.zeros(12, 4)),
        TypeError,
        "x must be a torch.Tensor",
    ),
    (
        "RNN W_hh shape",
        lambda: rnn_step(_x, _h, torch.zeros(4, 3), torch.zeros(4, 5)),
        ValueError,
        r"W_hh shape \(4, 4\)",
    ),
    (
        "RNN h a list",
        lambda: rnn_step(_x, [0.0], torch.zeros(4, 3), torch.zeros(4, 4)),
        TypeError,
        "h must be a torch.Tensor",
    ),
]


@pytest.mark.parametrize("call, error, match", _table(STEPS))
def test_check_step_rejects_mismatched_weights(call, error, match):
    _rejects(call, error, match)


_lstm = nn.LSTM(2, 3, batch_first=True)
GATE_TRACE = [
    (
        "a GRU",
        lambda: lstm_gate_trace(nn.GRU(2, 3, batch_first=True), torch.zeros(4, 2)),
        TypeError,
        "torch.nn.LSTM",
    ),
    (
        "two layers",
        lambda: lstm_gate_trace(nn.LSTM(2, 3, num_layers=2), torch.zeros(4, 2)),
        ValueError,
        "one-layer",
    ),
    (
        "bidirectional",
        lambda: lstm_gate_trace(nn.LSTM(2, 3, bidirectional=True), torch.zeros(4, 2)),
        ValueError,
        "one-layer",
    ),
    ("x a list", lambda: lstm_gate_trace(_lstm, [[0.0, 1.0]]), TypeError, "x must be a torch.Tensor"),
    ("a batch of two", lambda: lstm_gate_trace(_lstm, torch.zeros(2, 4, 2)), ValueError, "one sequence"),
    (
        "batch axis, not batch_first",
        lambda: lstm_gate_trace(nn.LSTM(2, 3), torch.zeros(1, 4, 2)),
        ValueError,
        "one sequence",
    ),
    ("wrong feature size", lambda: lstm_gate_trace(_lstm, torch.zeros(4, 3)), ValueError, r"shape \(T, 2\)"),
    ("no step", lambda: lstm_gate_trace(_lstm, torch.zeros(0, 2)), ValueError, "T >= 1"),
    (
        "integers",
        lambda: lstm_gate_trace(_lstm, torch.zeros(4, 2, dtype=torch.long)),
        TypeError,
        "floating-point",
    ),
]


@pytest.mark.parametrize("call, error, match", _table(GATE_TRACE))
def test_check_lstm_trace_rejects_what_it_cannot_read(call, error, match):
    _rejects(call, error, match)


# --------------------------------------------------------------------------- the translator (chapters 6, 9)

PAIRS = make_phrase_pairs(6, (0, 1, 2, 3), seed=0)
SRC_VOCAB, TGT_VOCAB = build_vocabs(PAIRS)
with torch.random.fork_rng():  # leave the global generator as it was
    torch.manual_seed(0)
    MODEL = make_translator(SRC_VOCAB, TGT_VOCAB, attention=True, embed_size=8, hidden_size=16)
B = encode_pairs(PAIRS, SRC_VOCAB, TGT_VOCAB)
_src, _mask, _tgt = B.src, B.src_mask, B.tgt_in
_empty_src, _empty_mask = torch.tensor([[5, 6], [5, 1]]), torch.tensor([[True, True], [False, False]])

SOURCES = [  # through greedy_decode, which checks the source before it encodes it
    (
        "no token",
        lambda: greedy_decode(
            MODEL, torch.zeros(2, 0, dtype=torch.long), torch.zeros(2, 0, dtype=torch.bool)
        ),
        ValueError,
        "is empty",
    ),
    (
        "an empty mask row",
        lambda: greedy_decode(MODEL, _empty_src, _empty_mask),
        ValueError,
        "source sentence is empty",
    ),
    (
        "mask of another shape",
        lambda: greedy_decode(MODEL, _src, _mask[:2]),
        ValueError,
        "src_mask has shape",
    ),
    ("mask not bool", lambda: greedy_decode(MODEL, _src, _mask.long()), TypeError, "bool tensor"),
    ("padding first", lambda: greedy_decode(MODEL, _src, _mask.flip(1)), ValueError, "prefix"),
    ("float ids", lambda: greedy_decode(MODEL, _src.float(), _mask), TypeError, "integer token indices"),
    (
        "one sentence without batch axis",
        lambda: greedy_decode(MODEL, _src[0], _mask[0]),
        ValueError,
        r"shape \(batch, length\)",
    ),
    (
        "ids outside the vocabulary",
        lambda: greedy_decode(MODEL, torch.full_like(_src, len(SRC_VOCAB) + 3), _mask),
        ValueError,
        "outside the vocabulary",
    ),
    ("ids a list", lambda: greedy_decode(MODEL, [[1, 2]], _mask), TypeError, "torch.Tensor of token indices"),
    ("max_len 0", lambda: greedy_decode(MODEL, _src, _mask, max_len=0), ValueError, "max_len must be >= 1"),
]


@pytest.mark.parametrize("call, error, match", _table(SOURCES))
def test_check_source_rejects(call, error, match):
    _rejects(call, error, match)


BATCHES = [  # through Seq2Seq.forward, the model's one entry point
    (
        "source ids outside the vocabulary",
        lambda: MODEL(torch.full_like(_src, len(SRC_VOCAB) + 3), _mask, _tgt),
        ValueError,
        "outside the vocabulary",
    ),
    ("negative target ids", lambda: MODEL(_src, _mask, -_tgt - 1), ValueError, "outside the vocabulary"),
    ("fewer targets than sources", lambda: MODEL(_src, _mask, _tgt[:2]), ValueError, "batch sizes differ"),
    ("padding first", lambda: MODEL(_src, _mask.flip(1), _tgt), ValueError, "prefix"),
]


@pytest.mark.parametrize("call, error, match", _table(BATCHES))
def test_check_translation_batch_rejects(call, error, match):
    _rejects(call, error, match)


ATTENTION = [
    (
        "2-D query",
        lambda: dot_product_attention(torch.zeros(2, 3), torch.zeros(2, 3, 4)),
        ValueError,
        "must be 3-D",
    ),
    (
        "other batch",
        lambda: dot_product_attention(torch.zeros(2, 1, 4), torch.zeros(3, 5, 4)),
        ValueError,
        "must agree in batch size",
    ),
    (
        "mask shape",
        lambda: dot_product_attention(
            torch.zeros(2, 1, 4), torch.zeros(2, 5, 4), torch.ones(2, 4, dtype=torch.bool)
        ),
        ValueError,
        "mask must have shape",
    ),
    (
        "mask hides all",
        lambda: dot_product_attention(
            torch.zeros(1, 1, 4), torch.zeros(1, 2, 4), torch.zeros(1, 2, dtype=torch.bool)
        ),
        ValueError,
        "hides every position",
    ),
    (
        "keys a list",
        lambda: dot_product_attention(torch.zeros(1, 1, 4), [[0.0]]),
        TypeError,
        "keys must be a torch.Tensor",
    ),
]


@pytest.mark.parametrize("call, error, match", _table(ATTENTION))
def test_check_attention_rejects(call, error, match):
    _rejects(call, error, match)


SENTENCES = [
    (
        "an empty sentence",
        lambda: translate(MODEL, [["cat"], []], SRC_VOCAB, TGT_VOCAB),
        ValueError,
        "empty sentence cannot be translated",
    ),
    (
        "a string",
        lambda: translate(MODEL, ["the cat"], SRC_VOCAB, TGT_VOCAB),
        TypeError,
        "list of tokens, not a string",
    ),
    ("no sentence", lambda: translate(MODEL, [], SRC_VOCAB, TGT_VOCAB), ValueError, "sentences is empty"),
    (
        "max_len 0",
        lambda: translate(MODEL, [["cat"]], SRC_VOCAB, TGT_VOCAB, max_len=0),
        ValueError,
        "max_len must be >= 1",
    ),
    (
        "scorer: a string",
        lambda: next_word_scorer(MODEL, "the cat", SRC_VOCAB, TGT_VOCAB),
        TypeError,
        "not a string",
    ),
    (
        "scorer: an empty sentence",
        lambda: next_word_scorer(MODEL, [], SRC_VOCAB, TGT_VOCAB),
        ValueError,
        "empty sentence",
    ),
    (
        "scorer: an empty prefix",
        lambda: next_word_scorer(MODEL, ["cat"], SRC_VOCAB, TGT_VOCAB)([]),
        ValueError,
        "non-empty list",
    ),
    (
        "scorer: an index outside the vocabulary",
        lambda: next_word_scorer(MODEL, ["cat"], SRC_VOCAB, TGT_VOCAB)([1, len(TGT_VOCAB)]),
        ValueError,
        "prefix holds index .* outside the vocabulary",
    ),
    (
        "edit distance of a string",
        lambda: edit_distance("o gato", ["o", "gato"]),
        TypeError,
        "list of words, not a string",
    ),
]


@pytest.mark.parametrize("call, error, match", _table(SENTENCES))
def test_check_sentences_rejects(call, error, match):
    _rejects(call, error, match)


METRICS_AND_SETUP = [
    (
        "one prediction for two references",
        lambda: exact_match([["a"]], [["a"], ["b"]]),
        ValueError,
        "got 1 predictions for 2 references",
    ),
    ("no reference", lambda: token_accuracy([], []), ValueError, "references is empty"),
    ("references without tokens", lambda: edit_accuracy([[]], [[]]), ValueError, "no tokens"),
    (
        "no pairs to train on",
        lambda: train_translator(MODEL, [], SRC_VOCAB, TGT_VOCAB, max_steps=1),
        ValueError,
        "pairs is empty",
    ),
    (
        "no pairs to score",
        lambda: accuracy_by_length(MODEL, [], SRC_VOCAB, TGT_VOCAB),
        ValueError,
        "pairs is empty",
    ),
    (
        "encoder and decoder sizes differ",
        lambda: Seq2Seq(Encoder(10, 4, 16), Decoder(10, 4, 8), 2, 3),
        ValueError,
        "hidden_size 16 != decoder hidden_size 8",
    ),
    ("not a Vocab", lambda: make_translator({}, TGT_VOCAB), TypeError, "must be a seqmodels.data.Vocab"),
]


@pytest.mark.parametrize("call, error, match", _table(METRICS_AND_SETUP))
def test_translator_setup_and_metrics_reject(call, error, match):
    _rejects(call, error, match)
