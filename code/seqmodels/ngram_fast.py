"""The same model as :class:`seqmodels.ngram.NGramLM`, counted with integer keys so that
Shakespeare fits the chapter's time budget (chapters 2 and 8).

:class:`FastNGramLM` pads, reads unknown tokens as ``<unk>``, counts and smooths exactly as
the readable :class:`seqmodels.ngram.NGramLM` does (its module docstring has the conventions
and the formulas; ``tests/test_ngram_fast.py`` checks the two agree to 1e-12 on random
corpora), and adds what the chapters need on a whole corpus: one count reused for every
order (:meth:`FastNGramLM.lower_order`) and estimate (:meth:`FastNGramLM.with_smoothing`),
a hyper-parameter sweep, per-token scores, the Kneser-Ney recursion step by step, and the
verb-agreement score.

Speed
-----
Counting is vectorised. Every m-gram is identified by an integer key
``index(prefix (m-1)-gram) * len(vocab) + id(last token)``, built order by order from the
index of its prefix among the distinct (m-1)-grams; ``np.unique`` turns keys into
indices and counts, ``np.searchsorted`` looks held-out n-grams up. Keys stay well inside
int64 for any n, because the prefix index is bounded by the number of tokens.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .data import AgreementSet, Vocab
from .ngram import BOS, EOS, SMOOTHINGS, UNK
from .validation import (
    check_int,
    check_ngram_context,
    check_ngram_settings,
    check_positive_int,
    check_real,
    check_token_sequences,
)


def _as_sequences(sequences: Iterable[Sequence[str]], name: str = "sequences") -> list[Sequence[str]]:
    """``sequences`` checked: token sequences of str tokens, without the padding symbols."""
    return check_token_sequences(name, sequences, padding=(BOS, EOS))


@dataclass(frozen=True)
class _Counts:
    """What :meth:`FastNGramLM.fit` counted; models made from it share it (no copy, no refit).

    Per order ``m + 1`` (list index ``m``): ``keys[m]`` the sorted keys of the distinct
    (m+1)-grams, ``raw[m]`` how often each ends at a predicted token, ``cont[m]`` its
    continuation count ``N1+(. w)`` (``None`` at the top order).
    """

    vocab: Vocab
    num_tokens: int
    keys: list[np.ndarray]
    raw: list[np.ndarray]
    cont: list[np.ndarray | None]

    def up_to(self, m: int) -> _Counts:
        """The counts of orders ``1..m``: the same as counting order ``m`` alone."""
        return _Counts(self.vocab, self.num_tokens, self.keys[:m], self.raw[:m], self.cont[:m])


@dataclass(frozen=True)
class KNStep:
    """One order of the Kneser-Ney recursion (see :meth:`FastNGramLM.kneser_ney_steps`).

    ``count`` is ``c(h, w)`` (a continuation count ``N1+(. h w)`` below the top order),
    ``context_count`` its total ``c(h)`` over all words, ``context_types`` the number
    ``N1+(h .)`` of distinct words seen after ``h``; ``lower`` is the probability from the
    order below and ``prob`` this order's result, ``prob = discounted + weight * lower``.
    """

    order: int
    context: tuple[str, ...]
    token: str
    continuation: bool
    count: float
    context_count: float
    context_types: float
    discount: float
    lower: float
    prob: float

    @property
    def discounted(self) -> float:
        """``max(c(h, w) - D, 0) / c(h)``: what this order keeps of its own estimate (0 if ``h`` is unseen)."""
        return max(self.count - self.discount, 0.0) / self.context_count if self.context_count else 0.0

    @property
    def weight(self) -> float:
        """``D N1+(h .) / c(h)``: how much the order below gets (1 if ``h`` is unseen: all of it)."""
        return self.discount * self.context_types / self.context_count if self.context_count else 1.0


class FastNGramLM:
    """The n-gram model of :class:`seqmodels.ngram.NGramLM`, counted with integer keys in NumPy.

    Parameters
    ----------
    n:
        The order: the model conditions on the ``n - 1`` previous tokens (``n = 1`` is a
        unigram model, which ignores the past).
    smoothing:
        ``"mle"``, ``"add-k"`` or ``"kneser-ney"`` (see :mod:`seqmodels.ngram`).
    k:
        The pseudo-count of add-k smoothing, ``k > 0`` (``k = 1`` is Laplace).
    discount:
        The absolute discount ``D`` of Kneser-Ney, ``0 < D < 1``.
    min_freq:
        Training tokens seen fewer times than this become ``<unk>``.

    Call :meth:`fit` with an iterable of token sequences; each is padded with ``n - 1``
    ``<s>`` on the left and one ``</s>`` on the right. Pass ``[tokens]`` to treat a whole
    text as one long sequence.
    """

    def __init__(
        self,
        n: int,
        smoothing: str = "mle",
        k: float = 1.0,
        discount: float = 0.75,
        min_freq: int = 1,
    ) -> None:
        settings = check_ngram_settings(n, smoothing, k, discount, min_freq, SMOOTHINGS)
        self.n, self.smoothing, self.k, self.discount, self.min_freq = settings
        self.vocab: Vocab | None = None

    def __repr__(self) -> str:
        size = "unfitted" if self.vocab is None else f"|V|={self.vocab_size}"
        extra = {"add-k": f", k={self.k:g}", "kneser-ney": f", discount={self.discount:g}"}
        return f"FastNGramLM(n={self.n}, smoothing={self.smoothing!r}{extra.get(self.smoothing, '')}, {size})"

    # ------------------------------------------------------------------ encoding

    def _check_fitted(self) -> Vocab:
        if self.vocab is None:
            raise RuntimeError("this FastNGramLM is not fitted yet; call fit(sequences) first")
        return self.vocab

    def _flatten(self, sequences: list[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Pad every sequence, encode it and concatenate: ``(ids, target positions)``.

        Sequence ``i`` becomes ``n - 1`` times ``<s>``, its token ids, then ``</s>``; the
        targets are the positions of its tokens and of its ``</s>``.
        """
        vocab = self._check_fitted()
        index = vocab.token_to_idx
        lens = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(sequences))
        total = int(lens.sum())
        ids = np.fromiter(
            map(index.get, itertools.chain.from_iterable(sequences), itertools.repeat(vocab.unk_idx)),
            dtype=np.int64,
            count=total,
        )
        blocks = lens + self.n  # n - 1 pads, the tokens, one end symbol
        block_start = np.concatenate([[0], np.cumsum(blocks)[:-1]]).astype(np.int64)
        flat = np.full(int(blocks.sum()), index[BOS], dtype=np.int64)
        tok_start = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)
        pos = np.repeat(block_start + self.n - 1 - tok_start, lens) + np.arange(total)
        flat[pos] = ids
        flat[block_start + blocks - 1] = index[EOS]
        is_target = np.ones(len(flat), dtype=bool)
        is_target[flat == index[BOS]] = False
        return flat, np.flatnonzero(is_target)

    @property
    def vocab_size(self) -> int:
        """``|V|``: the number of outcomes the model predicts (the vocabulary minus ``<s>``)."""
        return len(self._check_fitted()) - 1

    # ------------------------------------------------------------------ fitting

    def fit(self, sequences: Iterable[Sequence[str]]) -> FastNGramLM:
        """Count every m-gram (m = 1..n) of the padded training sequences; return ``self``."""
        seqs = _as_sequences(sequences)
        if sum(len(s) for s in seqs) == 0:
            raise ValueError("sequences is empty: the corpus needs at least one token to fit")
        self.vocab = Vocab(
            itertools.chain.from_iterable(seqs), min_freq=self.min_freq, unk=UNK, reserved=(BOS, EOS)
        )
        flat, targets = self._flatten(seqs)

        # offset[t]: how many positions of its own padded sequence come before t, so a
        # window of length m ending at t stays inside one sequence iff offset[t] >= m - 1.
        blocks = np.fromiter((len(s) + self.n for s in seqs), dtype=np.int64, count=len(seqs))
        block_start = np.concatenate([[0], np.cumsum(blocks)[:-1]])
        offset = np.arange(len(flat)) - np.repeat(block_start, blocks)

        B = len(self.vocab)  # the radix of the m-gram keys
        all_keys: list[np.ndarray] = [np.arange(B, dtype=np.int64)]  # order 1: the ids
        index = [flat]  # index[m-1][t]: index of the m-gram ending at t (-1: crosses sequences)
        for m in range(2, self.n + 1):
            valid = offset >= m - 1
            prev = np.concatenate([[-1], index[-1][:-1]])
            keys = prev[valid] * B + flat[valid]
            uniq, inverse = np.unique(keys, return_inverse=True)
            idx = np.full(len(flat), -1, dtype=np.int64)
            idx[valid] = inverse
            all_keys.append(uniq)
            index.append(idx)

        # Raw counts of every order, over the windows that end at a predicted token.
        raw = [
            np.bincount(index[m][targets], minlength=len(all_keys[m])).astype(np.float64)
            for m in range(self.n)
        ]
        # Continuation counts N1+(. w): in how many distinct (m+1)-grams an m-gram is the suffix.
        cont: list[np.ndarray | None] = [None] * self.n
        for m in range(self.n - 1):
            # one occurrence (any) of every (m+1)-gram type that ends at a predicted token
            where = np.full(len(all_keys[m + 1]), -1, dtype=np.int64)
            where[index[m + 1][targets]] = targets
            suffix = index[m][where[where >= 0]]
            cont[m] = np.bincount(suffix, minlength=len(all_keys[m])).astype(np.float64)
        return self._use(_Counts(self.vocab, len(targets), all_keys, raw, cont))

    def _use(self, counts: _Counts) -> FastNGramLM:
        """Take ``counts`` as this model's (shared, never modified) and derive what its estimate needs."""
        self._shared = counts
        self.vocab, self.num_tokens = counts.vocab, counts.num_tokens  # predicted tokens, </s> included
        self._keys, self._raw, self._cont = counts.keys, counts.raw, counts.cont
        self._bos = self.vocab.token_to_idx[BOS]
        self._base = len(self.vocab)  # B: the radix of the m-gram keys
        self._derive()
        return self

    def _derive(self) -> None:
        """Per order, the counts the estimate uses and, per context, their total and types."""
        B = self._base
        self._counts, self._ctx_total, self._ctx_types = [], [], []
        for m in range(self.n):
            use_cont = self.smoothing == "kneser-ney" and m < self.n - 1
            counts = self._cont[m] if use_cont else self._raw[m]
            self._counts.append(counts)
            if m == 0:
                self._ctx_total.append(np.array([counts.sum()]))
                self._ctx_types.append(np.array([float(np.count_nonzero(counts))]))
            else:
                prefix = self._keys[m] // B
                size = len(self._keys[m - 1])
                self._ctx_total.append(np.bincount(prefix, weights=counts, minlength=size))
                self._ctx_types.append(np.bincount(prefix, weights=counts > 0, minlength=size))

    def with_smoothing(
        self, smoothing: str, k: float | None = None, discount: float | None = None
    ) -> FastNGramLM:
        """A copy of this fitted model with another estimate, sharing the counts (no refit).

        Counting is the expensive part and does not depend on the smoothing, so comparing
        estimates on one corpus needs only one :meth:`fit`. Unspecified ``k`` and
        ``discount`` keep this model's values.
        """
        self._check_fitted()
        other = FastNGramLM(
            self.n,
            smoothing,
            k=self.k if k is None else k,
            discount=self.discount if discount is None else discount,
            min_freq=self.min_freq,
        )
        return other._use(self._shared)

    def lower_order(self, m: int) -> FastNGramLM:
        """The order-``m`` model (``1 <= m <= n``) of the same corpus, from this model's counts.

        Fitting order ``n`` counts every order ``1..n`` on the way, and the extra ``<s>``
        padding only adds contexts that never precede a predicted token, so the result is
        exactly what ``FastNGramLM(m, ...).fit(same corpus)`` would give, without a refit.
        """
        self._check_fitted()
        m = check_positive_int("m", m)
        if m > self.n:
            raise ValueError(f"m must be <= n = {self.n}, got {m}")
        other = FastNGramLM(m, self.smoothing, k=self.k, discount=self.discount, min_freq=self.min_freq)
        return other._use(self._shared.up_to(m))

    # ------------------------------------------------------------------ lookup

    def _lookup(self, m: int, keys: np.ndarray) -> np.ndarray:
        """Indices of the (m+1)-grams with these keys in the training table, -1 if unseen."""
        table = self._keys[m]
        pos = np.searchsorted(table, keys)
        pos = np.minimum(pos, len(table) - 1)
        found = (keys >= 0) & (table[pos] == keys)
        return np.where(found, pos, -1)

    def _context_indices(self, contexts: np.ndarray) -> list[np.ndarray]:
        """For contexts of shape (N, n-1): index of the last j tokens as a j-gram, j = 0..n-1.

        Entry ``j`` is the context the order-(j+1) estimate conditions on (``j = 0``: the
        empty context, always index 0); -1 where that j-gram never occurred in training.
        """
        N = contexts.shape[0]
        out = [np.zeros(N, dtype=np.int64)]
        B = self._base
        for j in range(1, self.n):
            # the j-gram made of the last j context tokens, built left to right
            cols = contexts[:, self.n - 1 - j :]
            idx = cols[:, 0].copy()
            for c in range(1, j):
                idx = self._lookup(c, np.where(idx >= 0, idx * B + cols[:, c], -1))
            out.append(idx)
        return out

    def _gather(self, contexts: np.ndarray, tokens: np.ndarray) -> list[tuple[np.ndarray, ...]]:
        """The counts each order's estimate needs, for id arrays of shapes (N, n-1) and (N,).

        One ``(c(h, w), c(h), N1+(h .))`` triple of arrays per order the estimate uses (every
        order for Kneser-Ney, the top one otherwise); zeros where ``h`` never occurred. The
        lookups are the expensive part and do not depend on ``k`` or ``D``.
        """
        ctx = self._context_indices(contexts)
        B = self._base
        orders = range(self.n) if self.smoothing == "kneser-ney" else [self.n - 1]
        gathered = []
        for m in orders:
            h = ctx[m]
            seen = h >= 0
            hs = np.where(seen, h, 0)
            c_h = np.where(seen, self._ctx_total[m][hs], 0.0)
            gram = self._lookup(m, np.where(seen, hs * B + tokens, -1)) if m > 0 else tokens
            c_hw = np.where(gram >= 0, self._counts[m][np.maximum(gram, 0)], 0.0)
            types = np.where(seen, self._ctx_types[m][hs], 0.0)
            gathered.append((c_hw, c_h, types))
        return gathered

    def _combine(
        self, gathered: list[tuple[np.ndarray, ...]], tokens: np.ndarray, k: float, D: float
    ) -> np.ndarray:
        """Probabilities from the counts of :meth:`_gather`, with pseudo-count ``k`` or discount ``D``."""
        V = self.vocab_size
        p = np.full(len(tokens), 1.0 / V)
        for c_hw, c_h, types in gathered:
            has = c_h > 0
            safe = np.where(has, c_h, 1.0)
            if self.smoothing == "mle":
                p = np.where(has, c_hw / safe, p)
            elif self.smoothing == "add-k":
                p = (c_hw + k) / (c_h + k * V)
            else:
                p = np.where(has, (np.maximum(c_hw - D, 0.0) + D * types * p) / safe, p)
        return np.where(tokens == self._bos, 0.0, p)

    def _probs(self, contexts: np.ndarray, tokens: np.ndarray) -> np.ndarray:
        """``P(tokens[i] | contexts[i])`` for id arrays of shapes (N, n-1) and (N,)."""
        return self._combine(self._gather(contexts, tokens), tokens, self.k, self.discount)

    def _encode_context(self, context: Sequence[str]) -> list[int]:
        vocab = self._check_fitted()
        if isinstance(context, str):  # a character model's context may be given as a str
            context = list(context)
        check_ngram_context(context, self.n, BOS)
        return vocab.encode(context)

    # ------------------------------------------------------------------ public queries

    def prob(self, token: str, context: Sequence[str]) -> float:
        """``P(token | context)``; ``context`` is the ``n - 1`` previous tokens (``<s>`` pads).

        Unknown tokens are scored as ``<unk>``. ``<s>`` is never predicted.
        """
        ctx = self._encode_context(context)
        if not isinstance(token, str):
            raise TypeError(f"token must be a str, got {type(token).__name__} {token!r}")
        if token == BOS:
            raise ValueError(f"token {BOS!r} is the start padding; the model never predicts it")
        tid = self.vocab.encode([token])[0]
        return float(self._probs(np.array([ctx], dtype=np.int64).reshape(1, -1), np.array([tid]))[0])

    def logprob(self, token: str, context: Sequence[str]) -> float:
        """``log P(token | context)`` in nats (``-inf`` for probability zero)."""
        p = self.prob(token, context)
        return float(np.log(p)) if p > 0 else float("-inf")

    def distribution(self, context: Sequence[str]) -> dict[str, float]:
        """The whole next-token distribution ``{token: P(token | context)}`` over the ``|V|`` outcomes."""
        ctx = self._encode_context(context)
        p = self._next_probs(np.array(ctx, dtype=np.int64))
        return {t: float(p[i]) for i, t in enumerate(self.vocab.idx_to_token) if i != self._bos}

    def _next_probs(self, ctx_ids: np.ndarray) -> np.ndarray:
        """Probabilities of every vocabulary id after the context ids (``<s>`` gets 0)."""
        size = self._base
        contexts = np.broadcast_to(ctx_ids.reshape(1, -1), (size, self.n - 1))
        return self._probs(np.ascontiguousarray(contexts), np.arange(size, dtype=np.int64))

    def _targets(self, sequences: Iterable[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """The ``(contexts, tokens)`` id arrays of every predicted token of the padded sequences."""
        seqs = _as_sequences(sequences)
        self._check_fitted()
        if not seqs:
            raise ValueError("sequences is empty: nothing to score")
        flat, targets = self._flatten(seqs)
        window = targets[:, None] + np.arange(-(self.n - 1), 0)[None, :]
        return flat[window], flat[targets]

    def _score(self, sequences: Iterable[Sequence[str]]) -> np.ndarray:
        """Log-probabilities (nats) of every predicted token of the padded sequences."""
        p = self._probs(*self._targets(sequences))
        with np.errstate(divide="ignore"):
            return np.log(p)

    def token_logprobs(self, sequences: Iterable[Sequence[str]]) -> np.ndarray:
        """``log P(x_t | previous n - 1)`` in nats for every predicted token, ``</s>`` included.

        One entry per token and per end symbol, in order; ``-inf`` where the probability is
        zero. Their sum is the log-likelihood, their negated mean the cross-entropy.
        """
        return self._score(sequences)

    def stream_logprobs(self, text: Sequence[str], discounts: Iterable[float] | None = None) -> np.ndarray:
        """``log P(x_t | x_{t-n+1..t-1})`` of every token of ``text`` after the first, without ``</s>``.

        This is how a network that reads one long text is scored (``seqmodels.lm.char_logprobs``):
        the same tokens, the first one only as context, and no end symbol. So that both predict
        over the same outcomes, each probability is renormalised over every outcome but
        ``</s>``: ``P(w | h) / (1 - P(</s> | h))``, a proper distribution over the
        ``|V| - 1`` tokens. With ``discounts`` (Kneser-Ney only), one row per discount, for
        tuning on a validation text at the cost of one lookup.
        """
        if isinstance(text, str):
            text = list(text)
        seqs = _as_sequences([text], name="text")
        if len(seqs[0]) < 2:
            raise ValueError(f"text must hold at least 2 tokens to score one, got {len(seqs[0])}")
        if discounts is not None and self.smoothing != "kneser-ney":
            raise ValueError("discounts apply to Kneser-Ney only; this model uses " + repr(self.smoothing))
        if discounts is None:
            values = [self.discount]
        else:
            if isinstance(discounts, str):
                raise TypeError(f"discounts must be an iterable of numbers, got a str {discounts!r}")
            values = [
                check_real("discount", d, low=0.0, high=1.0, low_open=True, high_open=True) for d in discounts
            ]
            if not values:
                raise ValueError("discounts is empty: give at least one discount to try")
        contexts, tokens = self._targets(seqs)
        contexts, tokens = contexts[1:-1], tokens[1:-1]  # drop the first token and </s>
        end = np.full_like(tokens, self.vocab.token_to_idx[EOS])
        got, stop = self._gather(contexts, tokens), self._gather(contexts, end)
        rows = []
        for D in values:
            p = self._combine(got, tokens, self.k, D)
            p_end = self._combine(stop, end, self.k, D)
            with np.errstate(divide="ignore"):
                rows.append(np.log(p) - np.log1p(-p_end))
        return np.array(rows) if discounts is not None else rows[0]

    def sweep(self, sequences: Iterable[Sequence[str]], values: Iterable[float]) -> np.ndarray:
        """Perplexity of ``sequences`` for each value of this estimate's hyper-parameter.

        The values are pseudo-counts ``k`` for ``"add-k"`` and discounts ``D`` for
        ``"kneser-ney"``. Equal to ``with_smoothing(smoothing, k=v)`` (or ``discount=v``)
        ``.perplexity(sequences)`` for each ``v``, but the counts are looked up once, so
        tuning on a validation split costs little more than one evaluation.
        """
        if self.smoothing == "mle":
            raise ValueError(
                "the MLE has no hyper-parameter to sweep; use add-k (k) or kneser-ney (discount)"
            )
        if isinstance(values, str):
            raise TypeError(f"values must be an iterable of numbers, got a str {values!r}")
        try:
            values = list(values)
        except TypeError:
            raise TypeError(f"values must be an iterable of numbers, got {type(values).__name__}") from None
        if not values:
            raise ValueError("values is empty: give at least one value to try")
        if self.smoothing == "add-k":
            values = [check_real("k", v, low=0.0, low_open=True) for v in values]
        else:
            values = [
                check_real("discount", v, low=0.0, high=1.0, low_open=True, high_open=True) for v in values
            ]
        contexts, tokens = self._targets(sequences)
        gathered = self._gather(contexts, tokens)
        out = []
        for v in values:
            k, D = (v, self.discount) if self.smoothing == "add-k" else (self.k, v)
            with np.errstate(divide="ignore", over="ignore"):
                out.append(float(np.exp(-np.log(self._combine(gathered, tokens, k, D)).mean())))
        return np.array(out)

    def log_likelihood(self, sequences: Iterable[Sequence[str]]) -> tuple[float, int]:
        """Total log-probability (nats) of the sequences and the number of predicted tokens."""
        logp = self._score(sequences)
        return float(logp.sum()), len(logp)

    def cross_entropy(self, sequences: Iterable[Sequence[str]]) -> float:
        """Average negative log-probability per predicted token, in nats (``</s>`` included)."""
        logp = self._score(sequences)
        return float(-logp.mean())

    def perplexity(self, sequences: Iterable[Sequence[str]]) -> float:
        """``exp`` of the cross-entropy: the effective number of equally likely next tokens.

        Infinite as soon as one predicted token has probability zero (MLE on unseen n-grams).
        """
        with np.errstate(over="ignore"):
            return float(np.exp(self.cross_entropy(sequences)))

    def unseen_share(self, sequences: Iterable[Sequence[str]]) -> float:
        """The share of the sequences' n-grams (one per predicted token) never seen in training."""
        seqs = _as_sequences(sequences)
        self._check_fitted()
        if not seqs:
            raise ValueError("sequences is empty: nothing to look up")
        flat, targets = self._flatten(seqs)
        window = targets[:, None] + np.arange(-(self.n - 1), 1)[None, :]
        grams = flat[window]
        idx = grams[:, 0]
        for c in range(1, self.n):
            idx = self._lookup(c, np.where(idx >= 0, idx * self._base + grams[:, c], -1))
        found = idx >= 0
        found[found] = self._raw[self.n - 1][idx[found]] > 0
        return float(1.0 - found.mean())

    def kneser_ney_steps(self, token: str, context: Sequence[str]) -> list[KNStep]:
        """The interpolated Kneser-Ney recursion for ``P(token | context)``, one step per order.

        Step ``m`` (``m = 1..n``) conditions on the last ``m - 1`` context tokens ``h`` and
        computes ``P_m = (max(c(h, w) - D, 0) + D N1+(h .) P_{m-1}) / c(h)`` from the step
        below (``P_0 = 1/|V|``), or passes ``P_{m-1}`` on when ``h`` was never seen. Below the
        top order the counts are continuation counts. The last step's ``prob`` equals
        :meth:`prob`; the chapter prints the steps as a worked example.
        """
        if self.smoothing != "kneser-ney":
            raise ValueError(f"kneser_ney_steps needs a kneser-ney model, this one is {self.smoothing!r}")
        ctx = self._encode_context(context)
        if not isinstance(token, str):
            raise TypeError(f"token must be a str, got {type(token).__name__} {token!r}")
        if token == BOS:
            raise ValueError(f"token {BOS!r} is the start padding; the model never predicts it")
        tid = self.vocab.encode([token])[0]
        contexts = np.array([ctx], dtype=np.int64).reshape(1, -1)
        tokens = np.array([tid], dtype=np.int64)
        names = self.vocab.decode(ctx)
        D, p = self.discount, 1.0 / self.vocab_size
        steps = []
        for m, (c_hw, c_h, types) in enumerate(self._gather(contexts, tokens)):
            c_hw, c_h, types = float(c_hw[0]), float(c_h[0]), float(types[0])
            lower = p
            if c_h > 0:
                p = (max(c_hw - D, 0.0) + D * types * lower) / c_h
            steps.append(
                KNStep(
                    order=m + 1,
                    context=tuple(names[len(names) - m :]) if m else (),
                    token=self.vocab.decode([tid])[0],
                    continuation=m < self.n - 1,
                    count=c_hw,
                    context_count=c_h,
                    context_types=types,
                    discount=D,
                    lower=lower,
                    prob=p,
                )
            )
        return steps

    def count(self, ngram: Sequence[str]) -> int:
        """How often the m-gram (1 <= m <= n) ends at a predicted token of the training data."""
        vocab = self._check_fitted()
        if isinstance(ngram, str) or not isinstance(ngram, Sequence):
            raise TypeError(f"ngram must be a list or tuple of tokens, got {type(ngram).__name__}")
        if not 1 <= len(ngram) <= self.n:
            raise ValueError(f"ngram must hold 1 to n = {self.n} tokens, got {len(ngram)}")
        ids = vocab.encode(ngram)
        idx = np.array([ids[0]])
        for c in range(1, len(ids)):
            idx = self._lookup(c, np.where(idx >= 0, idx * self._base + ids[c], -1))
        return 0 if idx[0] < 0 else int(self._raw[len(ids) - 1][idx[0]])

    @property
    def num_ngram_types(self) -> int:
        """The number of distinct n-grams seen in training (non-zero entries of the table)."""
        self._check_fitted()
        return int(np.count_nonzero(self._raw[self.n - 1]))

    def generate(self, num_tokens: int, seed: int = 0, prefix: Sequence[str] = ()) -> list[str]:
        """Sample ``num_tokens`` tokens, one at a time, from ``P(x_t | previous n - 1)``.

        Sampling starts after ``n - 1`` ``<s>`` and the (optional) ``prefix`` tokens, which
        are not part of the output. When ``</s>`` is drawn it is emitted and the context
        starts again from ``<s>`` padding, as at the start of a new sequence. The same
        ``seed`` gives the same text.
        """
        vocab = self._check_fitted()
        num_tokens = check_int("num_tokens", num_tokens, minimum=0)
        seed = check_int("seed", seed, minimum=0)
        if isinstance(prefix, str) or not isinstance(prefix, Sequence):
            raise TypeError(f"prefix must be a list or tuple of tokens, got {type(prefix).__name__}")
        rng = np.random.default_rng(seed)
        start = [self._bos] * (self.n - 1)
        history = start + vocab.encode(prefix)
        eos = vocab.token_to_idx[EOS]
        out: list[int] = []
        for _ in range(num_tokens):
            ctx = np.array(history[len(history) - (self.n - 1) :] if self.n > 1 else [], dtype=np.int64)
            p = self._next_probs(ctx)
            cdf = np.cumsum(p)
            i = int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))
            i = min(i, len(p) - 1)
            out.append(i)
            history = start.copy() if i == eos else history + [i]
        return vocab.decode(out)


def agreement_accuracy(model: FastNGramLM, data: AgreementSet) -> float:
    """Share of sentences where ``model`` prefers the verb form that agrees with the subject.

    For each sentence of a :func:`seqmodels.data.make_agreement_set` set, compare
    ``P(singular verb | last n - 1 tokens)`` with ``P(plural verb | same context)``; the
    model is right when the agreeing form is more probable, and gets half a point for a
    tie (it cannot tell, so it would guess). Chance is 0.5.
    """
    if not isinstance(model, FastNGramLM):
        raise TypeError(f"model must be a FastNGramLM, got {type(model).__name__}")
    if not isinstance(data, AgreementSet):
        raise TypeError(f"data must be an AgreementSet (see make_agreement_set), got {type(data).__name__}")
    vocab = model._check_fitted()
    width = model.n - 1
    contexts = []
    for tokens, v in zip(data.sentences, data.verb_positions):
        history = [BOS] * width + list(tokens[: int(v)])
        contexts.append(vocab.encode(history[len(history) - width :]) if width else [])
    ctx = np.array(contexts, dtype=np.int64).reshape(len(contexts), width)
    singular = np.array(vocab.encode([f[0] for f in data.verb_forms]), dtype=np.int64)
    plural = np.array(vocab.encode([f[1] for f in data.verb_forms]), dtype=np.int64)
    p_sing = model._probs(ctx, singular)
    p_plur = model._probs(ctx, plural)
    right = np.where(data.labels == 1, p_plur > p_sing, p_sing > p_plur)
    tie = p_sing == p_plur
    return float(np.mean(np.where(tie, 0.5, right.astype(np.float64))))


__all__ = ["FastNGramLM", "KNStep", "agreement_accuracy"]
