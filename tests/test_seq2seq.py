"""Tests for seqmodels.seq2seq: encoder, decoders, attention, decoding, metrics."""

import itertools

import numpy as np
import pytest
import torch

from seqmodels import seed_everything
from seqmodels.phrases import EOS, Pair, build_vocabs, encode_pairs, make_phrase_pairs
from seqmodels.seq2seq import (
    Encoder,
    accuracy_by_length,
    count_parameters,
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
    translation_loss,
)

PAIRS = make_phrase_pairs(6, (0, 1, 2, 3), seed=0)
SRC_VOCAB, TGT_VOCAB = build_vocabs(PAIRS)


def mixed_batch():
    return encode_pairs(PAIRS, SRC_VOCAB, TGT_VOCAB)


@pytest.fixture(params=[False, True], ids=["plain", "attention"])
def model(request):
    seed_everything(0)
    return make_translator(SRC_VOCAB, TGT_VOCAB, attention=request.param, embed_size=8, hidden_size=16)


# --------------------------------------------------------------------------- attention


def test_attention_weights_are_a_distribution_that_ignores_padding():
    torch.manual_seed(0)
    q, k = torch.randn(3, 4, 5), torch.randn(3, 6, 5)
    mask = torch.tensor([[True] * 6, [True] * 2 + [False] * 4, [True] * 5 + [False]])
    context, weights = dot_product_attention(q, k, mask)
    assert weights.shape == (3, 4, 6) and context.shape == (3, 4, 5)
    assert bool((weights >= 0).all())
    torch.testing.assert_close(weights.sum(-1), torch.ones(3, 4))
    assert bool((weights[~mask[:, None, :].expand_as(weights)] == 0).all())
    torch.testing.assert_close(context, weights @ k)


def test_attention_matches_a_softmax_of_dot_products_computed_by_hand():
    q, k = torch.randn(1, 1, 3, dtype=torch.float64), torch.randn(1, 4, 3, dtype=torch.float64)
    _, weights = dot_product_attention(q, k)
    scores = torch.stack([q[0, 0] @ k[0, j] for j in range(4)])
    torch.testing.assert_close(weights[0, 0], torch.exp(scores) / torch.exp(scores).sum())


# --------------------------------------------------------------------------- shapes


def test_encoder_shapes_and_context_is_the_last_real_state():
    b = mixed_batch()
    enc = Encoder(len(SRC_VOCAB), embed_size=8, hidden_size=16)
    memory = enc(b.src, b.src_mask)
    B, S = b.src.shape
    assert memory.states.shape == (B, S, 16) and memory.context.shape == (B, 16)
    lengths = b.src_mask.sum(1)
    for i in range(B):  # context = state at the last real token; padding states are zero
        torch.testing.assert_close(memory.context[i], memory.states[i, lengths[i] - 1])
        assert bool((memory.states[i, lengths[i] :] == 0).all())
    # the same sentence alone gives the same context: padding does not leak in
    alone = enc(b.src[:1, : lengths[0]], b.src_mask[:1, : lengths[0]])
    torch.testing.assert_close(alone.context[0], memory.context[0])


def test_decoder_shapes_for_a_mixed_batch(model):
    b = mixed_batch()
    logits, weights = model(b.src, b.src_mask, b.tgt_in)
    assert logits.shape == (*b.tgt_in.shape, len(TGT_VOCAB))
    if model.decoder.uses_attention:
        assert weights.shape == (b.tgt_in.shape[0], b.tgt_in.shape[1], b.src.shape[1])
        assert bool((weights.masked_select(~b.src_mask[:, None, :].expand_as(weights)) == 0).all())
        torch.testing.assert_close(weights.sum(-1), torch.ones(b.tgt_in.shape))
    else:
        assert weights is None


def test_teacher_forcing_in_one_pass_equals_step_by_step(model):
    b = mixed_batch()
    memory = model.encoder(b.src, b.src_mask)
    full, _, _ = model.decoder(b.tgt_in, memory)
    state, steps = None, []
    for t in range(b.tgt_in.shape[1]):
        logits, state, _ = model.decoder(b.tgt_in[:, t : t + 1], memory, state)
        steps.append(logits)
    torch.testing.assert_close(torch.cat(steps, dim=1), full)


def test_plain_decoder_sees_the_source_only_through_the_context():
    seed_everything(0)
    m = make_translator(SRC_VOCAB, TGT_VOCAB, attention=False, embed_size=8, hidden_size=16)
    b = mixed_batch()
    memory = m.encoder(b.src, b.src_mask)
    scrambled = type(memory)(torch.randn_like(memory.states), memory.mask, memory.context)
    torch.testing.assert_close(m.decoder(b.tgt_in, scrambled)[0], m.decoder(b.tgt_in, memory)[0])


def test_attention_and_plain_models_have_the_same_state_size():
    plain = make_translator(SRC_VOCAB, TGT_VOCAB, attention=False, hidden_size=16)
    attn = make_translator(SRC_VOCAB, TGT_VOCAB, attention=True, hidden_size=16)
    assert plain.decoder.hidden_size == attn.decoder.hidden_size == 16
    assert count_parameters(plain) > 0 and count_parameters(attn) > 0


# --------------------------------------------------------------------------- decoding


def test_greedy_decoding_stops_at_eos():
    seed_everything(0)
    m = make_translator(SRC_VOCAB, TGT_VOCAB, attention=True, embed_size=8, hidden_size=16)
    eos = TGT_VOCAB.token_to_idx[EOS]
    with torch.no_grad():  # make the decoder always prefer <eos> after "o", else "o"
        m.decoder.output.weight.zero_()
        m.decoder.output.bias.zero_()
        m.decoder.output.bias[TGT_VOCAB.token_to_idx["o"]] = 1.0
    b = mixed_batch()
    ids, _ = greedy_decode(m, b.src, b.src_mask, max_len=4)
    assert ids == [[TGT_VOCAB.token_to_idx["o"]] * 4] * len(PAIRS)  # no <eos>: stops at max_len
    with torch.no_grad():
        m.decoder.output.bias[eos] = 2.0
    ids, weights = greedy_decode(m, b.src, b.src_mask, max_len=4)
    assert ids == [[]] * len(PAIRS)  # <eos> first: empty output, <eos> not included
    assert all(w.shape == (1, b.src.shape[1]) for w in weights)


def test_a_model_overfits_a_handful_of_pairs():
    """Both models learn four pairs by heart in 40 steps (about 2 s on one CPU core)."""
    pairs = [
        Pair(["cat"], ["o", "gato"]),
        Pair(["i", "love", "you"], ["eu", "te", "amo"]),
        Pair(["the", "black", "cat"], ["o", "gato", "preto"]),
        Pair(["she", "sees", "the", "red", "houses"], ["ela", "vê", "as", "casas", "vermelhas"]),
    ]
    for attention in (False, True):
        seed_everything(0)
        m = make_translator(SRC_VOCAB, TGT_VOCAB, attention=attention, embed_size=16, hidden_size=32)
        train_translator(m, pairs, SRC_VOCAB, TGT_VOCAB, max_steps=40, batch_size=4, lr=3e-2, progress=False)
        table = accuracy_by_length(m, pairs, SRC_VOCAB, TGT_VOCAB)
        assert all(scores.exact == scores.edit == 1.0 for scores in table.values()), table
        assert translate(m, [["cat"]], SRC_VOCAB, TGT_VOCAB)[0] == [["o", "gato"]]


def test_translation_loss_is_a_positive_scalar(model):
    loss = translation_loss(model, mixed_batch())
    assert loss.dim() == 0 and loss.item() > 0


# --------------------------------------------------------------------------- metrics


def test_exact_match_and_token_accuracy():
    refs = [["o", "gato"], ["eu", "te", "amo"]]
    assert exact_match(refs, refs) == 1.0
    assert exact_match([["o", "gato"], ["eu", "amo"]], refs) == 0.5
    assert token_accuracy([["o", "gato"], ["eu", "amo"]], refs) == pytest.approx(3 / 5)
    assert token_accuracy([["o", "gato", "preto"], []], refs) == pytest.approx(2 / 5)


def _edit_distance_by_brute_force(a, b):
    """The recursive definition of Levenshtein's distance, without memory (tiny inputs only)."""
    if not a or not b:
        return len(a) + len(b)
    return min(
        _edit_distance_by_brute_force(a[1:], b) + 1,
        _edit_distance_by_brute_force(a, b[1:]) + 1,
        _edit_distance_by_brute_force(a[1:], b[1:]) + (a[0] != b[0]),
    )


def test_edit_distance_counts_insertions_deletions_and_substitutions():
    ref = "eu te amo".split()
    assert edit_distance(ref, ref) == 0
    assert edit_distance([], ref) == edit_distance(ref, []) == 3
    assert edit_distance("eu amo".split(), ref) == 1  # one word dropped
    assert edit_distance("eu te te amo".split(), ref) == 1  # one word inserted
    assert edit_distance("eu te vejo".split(), ref) == 1  # one word substituted
    assert edit_distance("amo te eu".split(), ref) == 2


def test_edit_distance_equals_the_recursive_definition():
    rng = np.random.default_rng(0)
    for _ in range(200):
        a = list(rng.choice(list("abc"), size=rng.integers(0, 6)))
        b = list(rng.choice(list("abc"), size=rng.integers(0, 6)))
        assert edit_distance(a, b) == edit_distance(b, a) == _edit_distance_by_brute_force(a, b)


def test_edit_accuracy_forgives_a_shift_that_token_accuracy_punishes():
    ref = [["nós", "vemos", "o", "gato", "e", "a", "casa", "velha"]]
    dropped = [["nós", "vemos", "gato", "e", "a", "casa", "velha"]]  # "o" missing: all later words shift
    assert token_accuracy(dropped, ref) == pytest.approx(2 / 8)
    assert edit_accuracy(dropped, ref) == pytest.approx(7 / 8)
    assert edit_accuracy(ref, ref) == 1.0
    assert edit_accuracy([["x"] * 20], [["o", "gato"]]) == 0.0  # more edits than words: floored at 0


def test_next_word_scorer_gives_the_decoders_log_probabilities(model):
    scorer = next_word_scorer(model, ["the", "black", "cat"], SRC_VOCAB, TGT_VOCAB)
    bos = TGT_VOCAB.token_to_idx["<bos>"]
    prefix = [bos, TGT_VOCAB.token_to_idx["o"]]
    log_p = scorer(prefix)
    assert log_p.shape == (len(TGT_VOCAB),) and np.isclose(np.exp(log_p).sum(), 1.0)
    batch = encode_pairs([Pair(["the", "black", "cat"], ["o"])], SRC_VOCAB, TGT_VOCAB)
    with torch.no_grad():
        logits, _ = model(batch.src, batch.src_mask, batch.tgt_in)
    np.testing.assert_allclose(log_p, torch.log_softmax(logits[0, -1].double(), -1).numpy(), atol=1e-6)


def test_greedy_decoding_through_the_scorer_matches_greedy_decode(model):
    bos, eos = TGT_VOCAB.token_to_idx["<bos>"], TGT_VOCAB.token_to_idx["<eos>"]
    for pair in PAIRS[:3]:
        scorer, prefix = next_word_scorer(model, pair.src, SRC_VOCAB, TGT_VOCAB), [bos]
        for _ in itertools.repeat(None, 6):
            y = int(np.argmax(scorer(prefix)))
            if y == eos:
                break
            prefix.append(y)
        batch = encode_pairs([pair], SRC_VOCAB, TGT_VOCAB)
        assert greedy_decode(model, batch.src, batch.src_mask, max_len=6)[0][0] == prefix[1:]


def test_accuracy_by_length_groups_by_source_length_or_a_key(model):
    table = accuracy_by_length(model, PAIRS, SRC_VOCAB, TGT_VOCAB)
    assert sorted(table) == sorted({len(p.src) for p in PAIRS})
    assert sum(scores.sentences for scores in table.values()) == len(PAIRS)
    by_phrases = accuracy_by_length(model, PAIRS, SRC_VOCAB, TGT_VOCAB, key=lambda p: p.src.count("and"))
    assert sum(n for n, _, _, _ in by_phrases.values()) == len(PAIRS)
    assert all(0 <= s.exact <= s.token <= 1 and 0 <= s.edit <= 1 for s in by_phrases.values())


# --------------------------------------------------------------------------- what it refuses
#
# tests/test_validation.py: one table per check, each row through a public entry point.


# --------------------------------------------------------------------------- devices


def test_translate_feeds_the_model_on_its_own_device(model, devices_fed):
    call = lambda m: translate(m, [["the", "cat"]], SRC_VOCAB, TGT_VOCAB)  # noqa: E731
    assert devices_fed(model, call) == {torch.device("meta")}


def test_training_feeds_the_model_on_its_own_device(model, devices_fed):
    call = lambda m: train_translator(m, PAIRS, SRC_VOCAB, TGT_VOCAB, max_steps=1, progress=False)  # noqa: E731
    assert devices_fed(model, call) == {torch.device("meta")}


def test_attention_examples_split_right_and_wrong_translations_with_their_weights():
    from seqmodels.seq2seq import attention_examples

    pairs = [Pair("the cat".split(), "o gato".split()), Pair("a dog".split(), "um cão".split())]
    src_vocab, tgt_vocab = build_vocabs(pairs)
    torch.manual_seed(0)
    model = make_translator(src_vocab, tgt_vocab, attention=True, embed_size=8, hidden_size=8)
    outputs, weights = translate(model, [p.src for p in pairs], src_vocab, tgt_vocab)
    examples = attention_examples(model, pairs, src_vocab, tgt_vocab, right=2, wrong=2)
    assert [e.correct for e in examples] == sorted((o == p.tgt for o, p in zip(outputs, pairs)), reverse=True)
    for e in examples:
        k = [p.src for p in pairs].index(e.source)
        assert e.output == outputs[k]
        np.testing.assert_allclose(e.weights, weights[k][: len(e.output) + 1].numpy(), atol=1e-6)
        np.testing.assert_allclose(e.weights.sum(axis=1), 1, atol=1e-5)
    assert attention_examples(model, pairs, src_vocab, tgt_vocab, right=0, wrong=0) == []
    with pytest.raises(TypeError, match="attention"):
        attention_examples(
            make_translator(src_vocab, tgt_vocab, attention=False), pairs, src_vocab, tgt_vocab
        )


def test_error_kind_names_added_dropped_and_changed_words():
    from seqmodels.seq2seq import error_kind

    ref = "o gato e o cão".split()
    assert error_kind(ref, ref) is None
    assert error_kind("o gato preto e o cão".split(), ref) == "added words"
    assert error_kind("o gato".split(), ref) == "dropped words"
    assert error_kind("o gato e a casa".split(), ref) == "changed words"
    with pytest.raises(TypeError):
        error_kind("o gato", ref)


def test_attention_examples_take_each_kind_of_error_in_turn(monkeypatch):
    from seqmodels import seq2seq

    pairs = [Pair(["w"] * (i + 1), ["x"]) for i in range(5)]
    src_vocab, tgt_vocab = build_vocabs(pairs + [Pair(["w"], ["x", "y"])])
    model = make_translator(src_vocab, tgt_vocab, attention=True, embed_size=4, hidden_size=4)
    written = [["x", "y"], ["x", "y", "y"], ["x"], [], ["y"]]  # added, added, right, dropped, changed
    weights = [torch.full((len(o) + 1, i + 1), 1.0 / (i + 1)) for i, o in enumerate(written)]
    monkeypatch.setattr(seq2seq, "translate", lambda *args, **kwargs: (written, weights))
    examples = seq2seq.attention_examples(model, pairs, src_vocab, tgt_vocab, right=1, wrong=4)
    assert [e.error for e in examples] == [
        None,
        "added words",
        "dropped words",
        "changed words",
        "added words",
    ]
    assert examples[0].correct and not examples[1].correct
