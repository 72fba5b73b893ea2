"""n-gram language models as chapter 2 writes them: count, then divide.

An n-gram model assumes the next token depends only on the ``n - 1`` before it, its context
``h``. Every sequence is padded with ``n - 1`` start symbols ``<s>`` (only ever context) and
one end symbol ``</s>``; a token seen fewer than ``min_freq`` times in training, or never,
is read as ``<unk>``. The model predicts ``|V|`` outcomes: the vocabulary but ``<s>``.
With ``c`` counting the m-grams that end at a predicted token and ``c(h) = sum_w c(h, w)``:

- ``"mle"``: ``c(h, w) / c(h)``; the uniform ``1/|V|`` where ``c(h) = 0``.
- ``"add-k"``: ``(c(h, w) + k) / (c(h) + k |V|)``; ``k = 1`` is Laplace smoothing.
- ``"kneser-ney"``: ``(max(c(h, w) - D, 0) + D N1+(h .) P(w | h')) / c(h)``, where ``h'`` is
  ``h`` without its oldest token and ``N1+(h .)`` the number of distinct tokens after ``h``.
  Below the top order ``c`` is the continuation count ``N1+(. w)``, the number of distinct
  tokens before ``w``. The recursion ends in ``1/|V|``; an unseen ``h`` passes ``P(w | h')`` on.

Written to be read; :class:`seqmodels.ngram_fast.FastNGramLM` is the same model counted
with integer keys, tested equal to this one, and fast enough for Shakespeare.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from .data import Vocab
from .validation import (
    check_int,
    check_ngram_context,
    check_ngram_settings,
    check_positive_int,
    check_token_sequences,
)

BOS, EOS, UNK = "<s>", "</s>", "<unk>"
SMOOTHINGS = ("mle", "add-k", "kneser-ney")


def num_parameters(vocab_size: int, n: int) -> int:
    """The number ``|V|^n`` of entries of a full n-gram table, as an exact Python integer."""
    return check_positive_int("vocab_size", vocab_size) ** check_positive_int("n", n)


class NGramLM:
    """An order-``n`` model with the ``"mle"``, ``"add-k"`` (pseudo-count ``k > 0``) or ``"kneser-ney"``
    (``discount`` ``0 < D < 1``) estimate; :meth:`fit` takes token sequences (``[tokens]``: one text)."""

    def __init__(
        self, n: int, smoothing: str = "mle", k: float = 1.0, discount: float = 0.75, min_freq: int = 1
    ):
        settings = check_ngram_settings(n, smoothing, k, discount, min_freq, SMOOTHINGS)
        self.n, self.smoothing, self.k, self.discount, self.min_freq = settings
        self.vocab: Vocab | None = None

    def __repr__(self) -> str:
        size = "unfitted" if self.vocab is None else f"|V|={self.vocab_size}"
        extra = {"add-k": f", k={self.k:g}", "kneser-ney": f", discount={self.discount:g}"}
        return f"NGramLM(n={self.n}, smoothing={self.smoothing!r}{extra.get(self.smoothing, '')}, {size})"

    @property
    def vocab_size(self) -> int:
        """``|V|``: the number of outcomes the model predicts (the vocabulary minus ``<s>``)."""
        return len(self._check_fitted()) - 1

    def _pad(self, tokens: Sequence[str]) -> list[str]:
        """``<s>`` (n - 1 times), the tokens (unknown ones as ``<unk>``), ``</s>``."""
        return [BOS] * (self.n - 1) + [t if t in self.vocab else UNK for t in tokens] + [EOS]

    def fit(self, sequences: Iterable[Sequence[str]]) -> NGramLM:
        """Count every m-gram (m = 1..n) that ends at a predicted token; return ``self``."""
        seqs = check_token_sequences("sequences", sequences, padding=(BOS, EOS))
        if not any(seqs):
            raise ValueError("sequences is empty: the corpus needs at least one token to fit")
        tokens = itertools.chain.from_iterable(seqs)
        self.vocab = Vocab(tokens, min_freq=self.min_freq, unk=UNK, reserved=(BOS, EOS))
        n = self.n
        self.counts = [Counter() for _ in range(n + 1)]  # counts[m][(x_1, ..., x_m)] = c(x_1 .. x_m)
        for seq in seqs:
            padded = self._pad(seq)
            for t in range(n - 1, len(padded)):  # every predicted token, </s> included
                for m in range(1, n + 1):
                    self.counts[m][tuple(padded[t - m + 1 : t + 1])] += 1
        self.continuation = [Counter() for _ in range(n + 1)]  # continuation[m][w] = N1+(. w)
        for m in range(1, n):
            for gram in self.counts[m + 1]:
                self.continuation[m][gram[1:]] += 1
        # What each order divides: raw counts, or continuation counts below Kneser-Ney's top.
        kn = self.smoothing == "kneser-ney"
        self.used = [self.continuation[m] if kn and m < n else self.counts[m] for m in range(n + 1)]
        self.context_count = [Counter() for _ in range(n + 1)]  # c(h) = sum over w of c(h, w)
        self.context_types = [Counter() for _ in range(n + 1)]  # N1+(h .)
        for m in range(1, n + 1):
            for gram, c in self.used[m].items():
                self.context_count[m][gram[:-1]] += c
                self.context_types[m][gram[:-1]] += 1
        return self

    def prob(self, token: str, context: Sequence[str]) -> float:
        """``P(token | context)``; ``context`` is the ``n - 1`` previous tokens (``<s>`` pads)."""
        token, context = self._check_query(token, context)
        if self.smoothing == "mle":
            return self._mle(context, token)
        if self.smoothing == "add-k":
            return self._add_k(context, token)
        return self._kneser_ney(self.n, context, token)

    def _mle(self, h: tuple[str, ...], w: str) -> float:
        c_h = self.context_count[self.n][h]
        return self.counts[self.n][h + (w,)] / c_h if c_h else 1 / self.vocab_size

    def _add_k(self, h: tuple[str, ...], w: str) -> float:
        c_h, k = self.context_count[self.n][h], self.k
        return (self.counts[self.n][h + (w,)] + k) / (c_h + k * self.vocab_size)

    def _kneser_ney(self, order: int, context: tuple[str, ...], w: str) -> float:
        """``P(w | last order - 1 tokens of context)``, interpolated with the order below."""
        if order == 0:
            return 1 / self.vocab_size
        lower = self._kneser_ney(order - 1, context, w)
        h = context[len(context) - (order - 1) :]
        c_h = self.context_count[order][h]
        if c_h == 0:  # h never seen: all of the probability comes from below
            return lower
        c_hw, D = self.used[order][h + (w,)], self.discount
        return (max(c_hw - D, 0.0) + D * self.context_types[order][h] * lower) / c_h

    def logprob(self, token: str, context: Sequence[str]) -> float:
        """``log P(token | context)`` in nats (``-inf`` for probability zero)."""
        p = self.prob(token, context)
        return math.log(p) if p > 0 else -math.inf

    def distribution(self, context: Sequence[str]) -> dict[str, float]:
        """``{token: P(token | context)}`` over the ``|V|`` outcomes (every token but ``<s>``)."""
        return {w: self.prob(w, context) for w in self._check_fitted().idx_to_token if w != BOS}

    def perplexity(self, sequences: Iterable[Sequence[str]]) -> float:
        """``exp`` of the mean ``-log P(x_t | previous n - 1)`` over the predicted tokens, ``</s>`` too."""
        self._check_fitted()
        seqs = check_token_sequences("sequences", sequences, padding=(BOS, EOS))
        if not seqs:
            raise ValueError("sequences is empty: nothing to score")
        padded = [self._pad(seq) for seq in seqs]
        logps = [self.logprob(p[t], p[t - self.n + 1 : t]) for p in padded for t in range(self.n - 1, len(p))]
        return math.exp(-sum(logps) / len(logps))

    def count(self, ngram: Sequence[str]) -> int:
        """``c(ngram)``: how often the m-gram (1 <= m <= n) ends at a predicted training token."""
        self._check_fitted()
        if isinstance(ngram, str) or not isinstance(ngram, Sequence):
            raise TypeError(f"ngram must be a list or tuple of tokens, got {type(ngram).__name__}")
        if not 1 <= len(ngram) <= self.n:
            raise ValueError(f"ngram must hold 1 to n = {self.n} tokens, got {len(ngram)}")
        return self.counts[len(ngram)][tuple(t if t in self.vocab else UNK for t in ngram)]

    def generate(self, num_tokens: int, seed: int = 0, prefix: Sequence[str] = ()) -> list[str]:
        """Sample ``num_tokens`` tokens after ``<s>`` padding and ``prefix``; after ``</s>``, start again.

        Each draw inverts the cumulative distribution at a uniform number of NumPy's generator.
        """
        vocab = self._check_fitted()
        num_tokens, seed = check_int("num_tokens", num_tokens, minimum=0), check_int("seed", seed, minimum=0)
        if isinstance(prefix, str) or not isinstance(prefix, Sequence):
            raise TypeError(f"prefix must be a list or tuple of tokens, got {type(prefix).__name__}")
        rng = np.random.default_rng(seed)
        outcomes = [w for w in vocab.idx_to_token if w != BOS]
        start = [BOS] * (self.n - 1)
        history, out = self._pad(prefix)[:-1], []
        for _ in range(num_tokens):
            context = history[len(history) - (self.n - 1) :]
            cdf = list(itertools.accumulate(self.prob(w, context) for w in outcomes))
            w = outcomes[min(bisect.bisect(cdf, rng.random() * cdf[-1]), len(outcomes) - 1)]
            out.append(w)
            history = start.copy() if w == EOS else history + [w]
        return out

    def _check_fitted(self) -> Vocab:
        if self.vocab is None:
            raise RuntimeError(f"this {type(self).__name__} is not fitted yet; call fit(sequences) first")
        return self.vocab

    def _check_query(self, token: str, context: Sequence[str]) -> tuple[str, tuple[str, ...]]:
        """``token`` and ``context`` checked, unknown tokens read as ``<unk>``."""
        self._check_fitted()
        check_ngram_context(context, self.n, BOS)
        if not isinstance(token, str):
            raise TypeError(f"token must be a str, got {type(token).__name__} {token!r}")
        if token == BOS:
            raise ValueError(f"token {BOS!r} is the start padding; the model never predicts it")
        return token if token in self.vocab else UNK, tuple(t if t in self.vocab else UNK for t in context)


__all__ = ["BOS", "EOS", "SMOOTHINGS", "UNK", "NGramLM", "num_parameters"]
