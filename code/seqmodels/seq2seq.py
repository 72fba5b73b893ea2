"""Encoder-decoder translation, with and without attention (chapters 6 and 9).

The **encoder** ("reader") is a GRU that reads the source :math:`x_1..x_S` into hidden
states :math:`h_1..h_S`. Its final state :math:`c = h_S` is the **context vector**.

The **decoder** ("writer") is a conditional language model with its own weights: it
predicts :math:`P(y_t \\mid y_1..y_{t-1}, X)` one token at a time, starting from ``<bos>``
and stopping at ``<eos>``. Two decoders share one interface:

- :class:`Decoder` sees the source *only* through :math:`c`: it starts from
  :math:`s_0 = c` and reads :math:`c` again at every step, next to the embedding of the
  previous word, as in Cho et al. (2014). Every sentence, short or long, must fit into one
  vector of ``hidden_size`` numbers: that is the bottleneck chapter 6 measures.
- :class:`AttentionDecoder` looks at *all* encoder states at every step, in the style of
  Luong, Pham and Manning (2015): after the GRU step it scores each source position by the
  dot product of the new state :math:`s_t` with :math:`h_j`, turns the scores into weights
  with a softmax (padding gets weight 0), reads the weighted average
  :math:`c_t = \\sum_j \\alpha_{t,j} h_j` and predicts from :math:`[s_t; c_t]`. (Bahdanau,
  Cho and Bengio (2015), who introduced attention, score with :math:`s_{t-1}` through a
  small network, feed :math:`c_t` into the recurrence and read a bidirectional encoder.)
  The weights :math:`\\alpha_{t,j}` are returned so a chapter can draw them as an alignment.

Training is teacher forcing: the decoder reads the *true* previous word, so a whole target
sentence goes through the decoder in one call, with no decoding loop in Python (the GRU
still runs its steps in order inside that call), and the loss is the cross-entropy of every
next word, padding left out (:func:`translation_loss`, the ``step_fn`` of
:func:`seqmodels.train.train`). At test time :func:`greedy_decode` feeds back its own most
likely word instead.

Metrics: :func:`exact_match`, the position-wise :func:`token_accuracy` (one inserted or
dropped word makes every later word count as wrong) and the alignment-free
:func:`edit_accuracy` (one minus the word edit distance per reference word).
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from . import model_device
from .data import Vocab
from .phrases import BOS, EOS, PAD, Pair, PhraseBatch, encode_pairs, phrase_batches
from .train import History, train
from .validation import (
    check_attention,
    check_int,
    check_nonempty,
    check_positive_int,
    check_prefix,
    check_real,
    check_same_length,
    check_sentences,
    check_source,
    check_token_ids,
    check_token_list,
    check_translation_batch,
)

# --------------------------------------------------------------------------- the encoder


@dataclass
class Memory:
    """What the encoder hands to a decoder: all states, where they are real, and the context.

    ``states``: (B, S, H) the encoder states :math:`h_j` (zero on padding);
    ``mask``: (B, S) bool, ``True`` on real tokens; ``context``: (B, H) the final state :math:`c`.
    """

    states: torch.Tensor
    mask: torch.Tensor
    context: torch.Tensor


class Encoder(nn.Module):
    """The reader: embedding -> GRU. Returns all hidden states and the final one (the context).

    Sentences of different lengths share a batch; the padding is skipped (packed sequences),
    so the context of a short sentence is its own last state, not a state after padding.
    """

    def __init__(
        self, vocab_size: int, embed_size: int = 32, hidden_size: int = 64, pad_idx: int = 1
    ) -> None:
        super().__init__()
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        self.hidden_size = check_positive_int("hidden_size", hidden_size)
        embed_size = check_positive_int("embed_size", embed_size)
        pad_idx = check_int("pad_idx", pad_idx, minimum=0)
        self.embedding = nn.Embedding(vocab_size, embed_size, padding_idx=pad_idx)
        self.rnn = nn.GRU(embed_size, hidden_size, batch_first=True)

    def forward(self, src: torch.Tensor, src_mask: torch.Tensor) -> Memory:
        lengths = src_mask.sum(dim=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(
            self.embedding(src), lengths, batch_first=True, enforce_sorted=False
        )
        out, h_last = self.rnn(packed)
        states, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        return Memory(states=states, mask=src_mask, context=h_last[0])


# --------------------------------------------------------------------------- attention


def dot_product_attention(
    query: torch.Tensor, keys: torch.Tensor, mask: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Weights :math:`\\alpha = \\mathrm{softmax}(q \\cdot h_j)` over positions, and the weighted average.

    ``query``: (B, T, H) one query per decoder step; ``keys``: (B, S, H) the encoder states,
    also used as values; ``mask``: (B, S) bool, ``False`` on padding. Returns the context
    (B, T, H) and the weights (B, T, S): non-negative, each row sums to 1, and exactly 0 on
    padding (its score is set to :math:`-\\infty` before the softmax).
    """
    check_attention(query, keys, mask)
    scores = query @ keys.transpose(1, 2)  # (B, T, S): e_{t,j} = s_t . h_j
    if mask is not None:
        scores = scores.masked_fill(~mask[:, None, :], float("-inf"))  # padding: weight 0
    weights = torch.softmax(scores, dim=-1)
    return weights @ keys, weights


# --------------------------------------------------------------------------- decoders


class Decoder(nn.Module):
    """The writer without attention: its only view of the source is the context vector :math:`c`.

    :math:`s_0 = c`; at step :math:`t` its own GRU (not the encoder's) reads
    :math:`[e(y_{t-1}); c]`, the embedding of the previous word next to the context, and
    :math:`s_{t-1}`; :math:`W_{hy} s_t + b_y` scores the next word. Feeding :math:`c` at every
    step follows Cho et al. (2014); Sutskever et al. (2014) hand it over only as the first state.
    """

    uses_attention = False

    def __init__(
        self, vocab_size: int, embed_size: int = 32, hidden_size: int = 64, pad_idx: int = 1
    ) -> None:
        super().__init__()
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        self.hidden_size = check_positive_int("hidden_size", hidden_size)
        embed_size = check_positive_int("embed_size", embed_size)
        self.embedding = nn.Embedding(
            vocab_size, embed_size, padding_idx=check_int("pad_idx", pad_idx, minimum=0)
        )
        self.rnn = nn.GRU(embed_size + hidden_size, hidden_size, batch_first=True)
        self.output = nn.Linear(hidden_size, vocab_size)

    def forward(
        self, y_prev: torch.Tensor, memory: Memory, state: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """Scores (B, T, V) for each step, the last state (B, H), and ``None`` (no attention)."""
        s = memory.context if state is None else state
        c = memory.context[:, None, :].expand(-1, y_prev.shape[1], -1)
        out, s_last = self.rnn(torch.cat([self.embedding(y_prev), c], dim=-1), s[None].contiguous())
        return self.output(out), s_last[0], None


class AttentionDecoder(nn.Module):
    """The writer with dot-product attention over all encoder states (Luong et al. 2015).

    :math:`s_t = \\mathrm{GRU}(e(y_{t-1}), s_{t-1})` with :math:`s_0 = c`; then
    :math:`\\alpha_{t,j} = \\mathrm{softmax}_j(s_t \\cdot h_j)`,
    :math:`c_t = \\sum_j \\alpha_{t,j} h_j` and the scores :math:`W [s_t; c_t] + b`. The
    context is read *after* the GRU step and is not fed back into it. Same size of state as
    :class:`Decoder`; what differs is where the source comes from.
    """

    uses_attention = True

    def __init__(
        self, vocab_size: int, embed_size: int = 32, hidden_size: int = 64, pad_idx: int = 1
    ) -> None:
        super().__init__()
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        self.hidden_size = check_positive_int("hidden_size", hidden_size)
        embed_size = check_positive_int("embed_size", embed_size)
        self.embedding = nn.Embedding(
            vocab_size, embed_size, padding_idx=check_int("pad_idx", pad_idx, minimum=0)
        )
        self.rnn = nn.GRU(embed_size, hidden_size, batch_first=True)
        self.output = nn.Linear(2 * hidden_size, vocab_size)

    def forward(
        self, y_prev: torch.Tensor, memory: Memory, state: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Scores (B, T, V), the last state (B, H), and the attention weights (B, T, S)."""
        s = memory.context if state is None else state
        out, s_last = self.rnn(self.embedding(y_prev), s[None].contiguous())
        context, weights = dot_product_attention(out, memory.states, memory.mask)
        return self.output(torch.cat([out, context], dim=-1)), s_last[0], weights


# --------------------------------------------------------------------------- the model


class Seq2Seq(nn.Module):
    """An encoder and a decoder, plus the indices of the special target tokens."""

    def __init__(
        self, encoder: Encoder, decoder: Decoder | AttentionDecoder, bos_idx: int, eos_idx: int
    ) -> None:
        super().__init__()
        if encoder.hidden_size != decoder.hidden_size:
            raise ValueError(
                f"encoder hidden_size {encoder.hidden_size} != decoder hidden_size {decoder.hidden_size}"
            )
        self.encoder, self.decoder = encoder, decoder
        self.bos_idx = check_int("bos_idx", bos_idx, minimum=0)
        self.eos_idx = check_int("eos_idx", eos_idx, minimum=0)

    def forward(
        self, src: torch.Tensor, src_mask: torch.Tensor, tgt_in: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Teacher-forced scores (B, T, V) for ``tgt_in`` = ``<bos>`` + target, and attention weights."""
        check_translation_batch(src, src_mask, tgt_in, self.encoder.vocab_size, self.decoder.vocab_size)
        logits, _, weights = self.decoder(tgt_in, self.encoder(src, src_mask))
        return logits, weights


def make_translator(
    src_vocab: Vocab, tgt_vocab: Vocab, attention: bool = False, embed_size: int = 32, hidden_size: int = 64
) -> Seq2Seq:
    """A fresh encoder-decoder for these vocabularies; ``attention`` picks the decoder."""
    for name, vocab in (("src_vocab", src_vocab), ("tgt_vocab", tgt_vocab)):
        if not isinstance(vocab, Vocab):
            raise TypeError(f"{name} must be a seqmodels.data.Vocab, got {type(vocab).__name__}")
        for token in (PAD, BOS, EOS):
            if token not in vocab:
                raise ValueError(
                    f"{name} lacks the reserved token {token!r}; build it with phrases.build_vocabs"
                )
    encoder = Encoder(len(src_vocab), embed_size, hidden_size, src_vocab.token_to_idx[PAD])
    kind = AttentionDecoder if attention else Decoder
    decoder = kind(len(tgt_vocab), embed_size, hidden_size, tgt_vocab.token_to_idx[PAD])
    return Seq2Seq(encoder, decoder, tgt_vocab.token_to_idx[BOS], tgt_vocab.token_to_idx[EOS])


def translation_loss(model: Seq2Seq, batch: PhraseBatch) -> torch.Tensor:
    """Mean cross-entropy of every next target word under teacher forcing (padding ignored)."""
    logits, _ = model(batch.src, batch.src_mask, batch.tgt_in)
    return F.cross_entropy(logits[batch.tgt_mask], batch.tgt_out[batch.tgt_mask])


# --------------------------------------------------------------------------- decoding


def greedy_decode(
    model: Seq2Seq, src: torch.Tensor, src_mask: torch.Tensor, max_len: int = 40
) -> tuple[list[list[int]], list[torch.Tensor | None]]:
    """Translate a batch by always taking the most likely next word.

    Each sentence stops at ``<eos>`` (not included in the output) or after ``max_len``
    words. Returns the index lists and, per sentence, its attention weights
    (``(len(output) + 1, S)``: one row per step including the one that chose ``<eos>``;
    ``None`` for a decoder without attention).
    """
    check_source(src, src_mask, model.encoder.vocab_size)
    return _greedy_decode(model, src, src_mask, check_positive_int("max_len", max_len))


@torch.no_grad()
def _greedy_decode(
    model: Seq2Seq, src: torch.Tensor, src_mask: torch.Tensor, max_len: int
) -> tuple[list[list[int]], list[torch.Tensor | None]]:
    """:func:`greedy_decode` on inputs already known to be valid."""
    was_training = model.training
    model.eval()
    memory = model.encoder(src, src_mask)
    batch = src.shape[0]
    y = torch.full((batch, 1), model.bos_idx, dtype=torch.long, device=src.device)
    state = None
    outputs: list[list[int]] = [[] for _ in range(batch)]
    rows: list[list[torch.Tensor]] = [[] for _ in range(batch)]
    done = [False] * batch
    for _ in range(max_len + 1):
        logits, state, weights = model.decoder(y, memory, state)
        y = logits[:, -1].argmax(dim=-1, keepdim=True)
        for i in range(batch):
            if done[i]:
                continue
            if weights is not None:
                rows[i].append(weights[i, -1])
            token = int(y[i, 0])
            if token == model.eos_idx or len(outputs[i]) == max_len:
                done[i] = True
            else:
                outputs[i].append(token)
        if all(done):
            break
    model.train(was_training)
    weights_out = [torch.stack(r) if r else None for r in rows]
    return outputs, weights_out


def translate(
    model: Seq2Seq, sentences: Sequence[Sequence[str]], src_vocab: Vocab, tgt_vocab: Vocab, max_len: int = 40
) -> tuple[list[list[str]], list[torch.Tensor | None]]:
    """Greedy translations of tokenised sentences, and their attention weights."""
    check_sentences(sentences)
    batch = encode_pairs([Pair(list(s), ["?"]) for s in sentences], src_vocab, tgt_vocab, model_device(model))
    ids, weights = _greedy_decode(model, batch.src, batch.src_mask, check_positive_int("max_len", max_len))
    return [tgt_vocab.decode(i) for i in ids], weights


def next_word_scorer(
    model: Seq2Seq, sentence: Sequence[str], src_vocab: Vocab, tgt_vocab: Vocab
) -> Callable[[Sequence[int]], np.ndarray]:
    """The decoder as a function for one source sentence: ``prefix -> log P(next word | prefix, X)``.

    ``prefix`` is the list of target indices written so far, starting with ``<bos>``; the
    function returns a NumPy array of ``len(tgt_vocab)`` log-probabilities. It runs the
    decoder over the whole prefix at every call, which is slow but hides the decoder's state,
    so that a decoding loop (greedy, beam search) can be written with indices only.
    """
    check_token_list("sentence", sentence)
    check_sentences([sentence])
    device = model_device(model)
    batch = encode_pairs([Pair(list(sentence), ["?"])], src_vocab, tgt_vocab)
    with torch.no_grad():
        memory = model.encoder(batch.src.to(device), batch.src_mask.to(device))

    def scores(prefix: Sequence[int]) -> np.ndarray:
        check_prefix(prefix)
        y = torch.tensor([[int(i) for i in prefix]], dtype=torch.long, device=device)
        check_token_ids("prefix", y, len(tgt_vocab))
        with torch.no_grad():
            logits, _, _ = model.decoder(y, memory)
        return torch.log_softmax(logits[0, -1].double(), dim=-1).cpu().numpy()

    return scores


ERROR_KINDS = ("added words", "dropped words", "changed words")


def error_kind(output: Sequence[str], reference: Sequence[str]) -> str | None:
    """What a translation got wrong, compared word by word with the reference: ``None`` if nothing.

    ``"added words"`` when the output is the reference with words inserted, ``"dropped
    words"`` when words are missing and nothing else differs, ``"changed words"`` otherwise
    (a word or phrase replaced, or a mix of the kinds), from the shortest edit between the two.
    """
    check_token_list("output", output)
    check_token_list("reference", reference)
    ops = {
        op
        for op, *_ in difflib.SequenceMatcher(
            None, list(reference), list(output), autojunk=False
        ).get_opcodes()
    }
    ops.discard("equal")
    if not ops:
        return None
    if ops == {"insert"}:
        return "added words"
    if ops == {"delete"}:
        return "dropped words"
    return "changed words"


class AttentionExample(NamedTuple):
    """One sentence as the attention model translates it, with where it looked for each word.

    ``weights[i, j]`` is the weight the decoder put on source word ``j`` when it wrote
    ``output[i]`` (the last row: when it wrote ``<eos>``); ``error`` is ``None`` when
    ``output`` equals ``reference`` word for word, else its :func:`error_kind`.
    """

    source: list[str]
    reference: list[str]
    output: list[str]
    weights: np.ndarray
    error: str | None

    @property
    def correct(self) -> bool:
        """Whether the translation equals the reference word for word."""
        return self.error is None


def attention_examples(
    model: Seq2Seq, pairs: Sequence[Pair], src_vocab: Vocab, tgt_vocab: Vocab, right: int = 3, wrong: int = 3
) -> list[AttentionExample]:
    """Up to ``right`` pairs the model translates exactly, then up to ``wrong`` it does not, with their weights.

    The right ones are the first in ``pairs``; the wrong ones take each kind of error in
    turn (:data:`ERROR_KINDS`: the first of each kind, then the second, ...), so that a few
    examples show every way the model fails. Every word written comes with its attention
    weights: material for looking at attention where it works and where it does not.
    """
    if not isinstance(model, Seq2Seq) or not isinstance(model.decoder, AttentionDecoder):
        raise TypeError("model must be a Seq2Seq with attention (make_translator(..., attention=True))")
    right, wrong = check_int("right", right, minimum=0), check_int("wrong", wrong, minimum=0)
    check_nonempty("pairs", pairs, "list of Pair")
    outputs, weights = translate(model, [p.src for p in pairs], src_vocab, tgt_vocab)
    found: dict[str | None, list[AttentionExample]] = {None: [], **{kind: [] for kind in ERROR_KINDS}}
    for pair, output, w in zip(pairs, outputs, weights):
        rows = w[: len(output) + 1, : len(pair.src)].double().cpu().numpy()
        kind = error_kind(output, pair.tgt)
        found[kind].append(AttentionExample(list(pair.src), list(pair.tgt), list(output), rows, kind))
    mistakes = [ex for group in itertools.zip_longest(*(found[k] for k in ERROR_KINDS)) for ex in group if ex]
    return found[None][:right] + mistakes[:wrong]


# --------------------------------------------------------------------------- metrics


def exact_match(predictions: Sequence[Sequence[str]], references: Sequence[Sequence[str]]) -> float:
    """Share of sentences translated exactly right, word for word (0..1)."""
    check_same_length(predictions, references)
    return sum(list(p) == list(r) for p, r in zip(predictions, references)) / len(references)


def token_accuracy(predictions: Sequence[Sequence[str]], references: Sequence[Sequence[str]]) -> float:
    """Share of reference words that the prediction has at the same position (0..1).

    Kinder than exact match: one wrong adjective in a twelve-word sentence costs 1/12. But
    it compares position by position, so one inserted or dropped word shifts the rest of the
    sentence and makes every later word count as wrong; :func:`edit_accuracy` does not.
    """
    check_same_length(predictions, references)
    total = sum(len(r) for r in references)
    if total == 0:
        raise ValueError("the references contain no tokens")
    hits = sum(sum(a == b for a, b in zip(p, r)) for p, r in zip(predictions, references))
    return hits / total


def edit_distance(prediction: Sequence[str], reference: Sequence[str]) -> int:
    """The fewest word insertions, deletions and substitutions that turn one sentence into the other.

    Levenshtein's distance over words, by dynamic programming: ``d[i][j]`` is the distance
    between the first ``i`` predicted and the first ``j`` reference words.

    >>> edit_distance("o gato preto".split(), "o gato".split())
    1
    """
    check_token_list("prediction", prediction, "list of words")
    check_token_list("reference", reference, "list of words")
    previous = list(range(len(reference) + 1))  # distances from the empty prediction
    for i, word in enumerate(prediction, start=1):
        current = [i]
        for j, ref_word in enumerate(reference, start=1):
            current.append(
                min(
                    previous[j] + 1,  # drop the predicted word
                    current[j - 1] + 1,  # insert the reference word
                    previous[j - 1] + (word != ref_word),  # keep it, or substitute
                )
            )
        previous = current
    return previous[-1]


def edit_accuracy(predictions: Sequence[Sequence[str]], references: Sequence[Sequence[str]]) -> float:
    """One minus the word edits needed per reference word, over all sentences (at most 1, at least 0).

    ``1 - sum(edit_distance(p, r)) / sum(len(r))``, that is one minus the word error rate, and
    0 when the predictions need more edits than the references have words. It needs no
    alignment by position: a prediction that drops one word of a twelve-word reference scores
    11/12, whichever word it drops.
    """
    check_same_length(predictions, references)
    total = sum(len(r) for r in references)
    if total == 0:
        raise ValueError("the references contain no tokens")
    edits = sum(edit_distance(list(p), list(r)) for p, r in zip(predictions, references))
    return max(0.0, 1.0 - edits / total)


class Scores(NamedTuple):
    """How well one group of sentences was translated: its size and three accuracies (0..1)."""

    sentences: int
    exact: float  # exact_match
    token: float  # token_accuracy, position by position
    edit: float  # edit_accuracy, alignment-free


def accuracy_by_length(
    model: Seq2Seq,
    pairs: Sequence[Pair],
    src_vocab: Vocab,
    tgt_vocab: Vocab,
    batch_size: int = 256,
    key: Callable[[Pair], int] | None = None,
) -> dict[int, Scores]:
    """``{source length: Scores(sentences, exact, token, edit)}`` under greedy decoding.

    ``key`` groups the sentences differently, e.g. by number of noun phrases
    (default: ``len(pair.src)``, the source length in tokens).
    """
    key = key if key is not None else (lambda pair: len(pair.src))
    check_nonempty("pairs", pairs, "(src, tgt) pair")
    batch_size = check_positive_int("batch_size", batch_size)
    predictions: list[list[str]] = []
    for start in range(0, len(pairs), batch_size):
        chunk = pairs[start : start + batch_size]
        max_len = max(len(p.tgt) for p in chunk) + 5
        predictions += translate(model, [p.src for p in chunk], src_vocab, tgt_vocab, max_len)[0]
    by_len: dict[int, list[int]] = {}
    for i, p in enumerate(pairs):
        by_len.setdefault(key(p), []).append(i)
    table = {}
    for length in sorted(by_len):
        idx = by_len[length]
        preds, refs = [predictions[i] for i in idx], [pairs[i].tgt for i in idx]
        table[length] = Scores(
            len(idx), exact_match(preds, refs), token_accuracy(preds, refs), edit_accuracy(preds, refs)
        )
    return table


# --------------------------------------------------------------------------- training


def train_translator(
    model: Seq2Seq,
    pairs: Sequence[Pair],
    src_vocab: Vocab,
    tgt_vocab: Vocab,
    *,
    max_steps: int,
    batch_size: int = 64,
    lr: float = 5e-3,
    clip: float | None = 1.0,
    seed: int = 0,
    progress: bool = True,
    desc: str = "training",
) -> History:
    """Teacher-forced training through the book's shared loop, reshuffling every epoch."""
    check_nonempty("pairs", pairs, "(src, tgt) pair")
    batch_size = check_positive_int("batch_size", batch_size)
    lr = check_real("lr", lr, low=0.0, low_open=True)
    seed = check_int("seed", seed, minimum=0)
    # A new shuffle every epoch (seed + epoch), so the run repeats exactly.
    device = model_device(model)

    def batches(epoch: int):
        return phrase_batches(pairs, src_vocab, tgt_vocab, batch_size, seed=seed + epoch, device=device)

    def step(m: Seq2Seq, batch: PhraseBatch, state: None) -> tuple[torch.Tensor, None]:
        return translation_loss(m, batch), None  # each pair starts afresh: nothing carried

    return train(model, batches, step, max_steps=max_steps, lr=lr, clip=clip, progress=progress, desc=desc)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable numbers in ``model``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


__all__ = [
    "AttentionDecoder",
    "ERROR_KINDS",
    "AttentionExample",
    "Decoder",
    "Encoder",
    "Memory",
    "Scores",
    "Seq2Seq",
    "accuracy_by_length",
    "attention_examples",
    "count_parameters",
    "dot_product_attention",
    "edit_accuracy",
    "edit_distance",
    "error_kind",
    "exact_match",
    "greedy_decode",
    "make_translator",
    "next_word_scorer",
    "token_accuracy",
    "train_translator",
    "translate",
    "translation_loss",
]
