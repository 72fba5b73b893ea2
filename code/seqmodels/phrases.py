"""A tiny English -> Portuguese phrase set for the translation chapters (6 and 9).

Real parallel corpora are large and messy; this one is small, generated with a seed and
exact, so that every error a model makes is the model's fault. It still has what makes
translation hard for a sequence model:

- **one word to two**: a bare English noun gets an article, ``"cat" -> "o gato"``;
- **reordering**: adjectives follow the noun, ``"the black cat" -> "o gato preto"``, and an
  object pronoun moves before the verb, ``"I love you" -> "eu te amo"``;
- **agreement**: articles and adjectives take the noun's gender and number,
  ``"the black houses" -> "as casas pretas"``;
- **controllable length**: a sentence lists ``num_phrases`` noun phrases joined by "and",
  so the length of the source is a knob for measuring the bottleneck of chapter 6.

It lives in its own module (not in :mod:`seqmodels.data`) so that it can grow without
touching the shared data code. Vocabularies are :class:`seqmodels.data.Vocab` objects
with the reserved tokens ``<pad>``, ``<bos>``, ``<eos>`` and ``<unk>``; batches are padded
to the longest sentence and come with boolean masks that are ``True`` on real tokens.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import torch

from .data import Vocab
from .validation import check_int, check_positive_int

PAD, BOS, EOS, UNK = "<pad>", "<bos>", "<eos>", "<unk>"
RESERVED = (PAD, BOS, EOS)  # ``<unk>`` is added by Vocab itself, at index 0


# --------------------------------------------------------------------------- the lexicon


@dataclass(frozen=True)
class Noun:
    """An English noun and its Portuguese forms; ``gender`` is ``"m"`` or ``"f"``."""

    en: str
    en_plural: str
    pt: str
    pt_plural: str
    gender: str


@dataclass(frozen=True)
class Adjective:
    """An English adjective and its four Portuguese forms (gender x number)."""

    en: str
    m: str
    f: str
    m_plural: str
    f_plural: str

    def pt(self, gender: str, plural: bool) -> str:
        """The form that agrees with a noun of this gender and number."""
        if gender == "m":
            return self.m_plural if plural else self.m
        return self.f_plural if plural else self.f


NOUNS: tuple[Noun, ...] = (
    Noun("cat", "cats", "gato", "gatos", "m"),
    Noun("dog", "dogs", "cão", "cães", "m"),
    Noun("boy", "boys", "menino", "meninos", "m"),
    Noun("book", "books", "livro", "livros", "m"),
    Noun("car", "cars", "carro", "carros", "m"),
    Noun("bird", "birds", "pássaro", "pássaros", "m"),
    Noun("house", "houses", "casa", "casas", "f"),
    Noun("girl", "girls", "menina", "meninas", "f"),
    Noun("flower", "flowers", "flor", "flores", "f"),
    Noun("table", "tables", "mesa", "mesas", "f"),
    Noun("apple", "apples", "maçã", "maçãs", "f"),
    Noun("door", "doors", "porta", "portas", "f"),
)

ADJECTIVES: tuple[Adjective, ...] = (
    Adjective("black", "preto", "preta", "pretos", "pretas"),
    Adjective("white", "branco", "branca", "brancos", "brancas"),
    Adjective("red", "vermelho", "vermelha", "vermelhos", "vermelhas"),
    Adjective("small", "pequeno", "pequena", "pequenos", "pequenas"),
    Adjective("big", "grande", "grande", "grandes", "grandes"),
    Adjective("new", "novo", "nova", "novos", "novas"),
    Adjective("old", "velho", "velha", "velhos", "velhas"),
)

# English subject + verb -> Portuguese subject + conjugated verb, and the verb alone (for the
# clitic "te", which goes between subject and verb: "I see you" -> "eu te vejo").
SUBJECTS_VERBS: tuple[tuple[str, str, str, str], ...] = (
    # (English subject, English verb, Portuguese subject, Portuguese verb)
    ("i", "see", "eu", "vejo"),
    ("i", "love", "eu", "amo"),
    ("i", "have", "eu", "tenho"),
    ("she", "sees", "ela", "vê"),
    ("she", "loves", "ela", "ama"),
    ("he", "has", "ele", "tem"),
    ("we", "see", "nós", "vemos"),
    ("we", "love", "nós", "amamos"),
    ("they", "have", "eles", "têm"),
)

# English determiner -> Portuguese article, by (number, gender). "a" is singular only and
# "some" plural only; "the" is both.
_ARTICLES = {
    ("the", False, "m"): "o",
    ("the", False, "f"): "a",
    ("the", True, "m"): "os",
    ("the", True, "f"): "as",
    ("a", False, "m"): "um",
    ("a", False, "f"): "uma",
    ("some", True, "m"): "uns",
    ("some", True, "f"): "umas",
}


def article(determiner: str, plural: bool, gender: str) -> str:
    """The Portuguese article for an English determiner and a noun's number and gender.

    >>> article("the", False, "f")
    'a'
    """
    key = (determiner, bool(plural), gender)
    if key not in _ARTICLES:
        raise ValueError(
            f"no article for determiner={determiner!r}, plural={plural}, gender={gender!r}; "
            "expected 'the' (singular or plural), 'a' (singular) or 'some' (plural) and gender 'm' or 'f'"
        )
    return _ARTICLES[key]


# --------------------------------------------------------------------------- phrases


class Pair(NamedTuple):
    """One training example: source tokens (English) and target tokens (Portuguese)."""

    src: list[str]
    tgt: list[str]


def noun_phrase(noun: Noun, determiner: str | None, plural: bool, adjective: Adjective | None) -> Pair:
    """Translate one noun phrase, applying agreement and moving the adjective after the noun.

    ``determiner=None`` is a bare noun ("cat", "black cats"), which Portuguese writes with
    the definite article ("o gato", "os gatos pretos"): one English word becomes two.
    """
    det_pt = article(determiner or "the", plural, noun.gender)
    src = ([determiner] if determiner else []) + ([adjective.en] if adjective else [])
    src.append(noun.en_plural if plural else noun.en)
    tgt = [det_pt, noun.pt_plural if plural else noun.pt]
    if adjective is not None:
        tgt.append(adjective.pt(noun.gender, plural))
    return Pair(src, tgt)


def _random_noun_phrase(rng: random.Random, p_adjective: float) -> Pair:
    noun = rng.choice(NOUNS)
    determiner = rng.choice(("the", "the", "a", "some"))
    plural = determiner == "some" or (determiner == "the" and rng.random() < 0.5)
    adjective = rng.choice(ADJECTIVES) if rng.random() < p_adjective else None
    return noun_phrase(noun, determiner, plural, adjective)


def sample_pair(rng: random.Random, num_phrases: int, p_adjective: float = 0.6) -> Pair:
    """One random sentence with ``num_phrases`` noun phrases, and its translation.

    ``num_phrases = 0`` gives a subject, a verb and the object pronoun "you" ("I love you"
    -> "eu te amo"). Otherwise the sentence is a subject, a verb and a list of noun phrases
    joined by "and" ("we see the red car and a girl" -> "nós vemos o carro vermelho e uma
    menina").
    """
    if not isinstance(rng, random.Random):
        raise TypeError(f"rng must be a random.Random, got {type(rng).__name__}")
    num_phrases = check_int("num_phrases", num_phrases, minimum=0)
    if num_phrases == 0:  # only verbs that take a person as object: "I love you", "she sees you"
        subj_en, verb_en, subj_pt, verb_pt = rng.choice(
            [sv for sv in SUBJECTS_VERBS if sv[1] in ("see", "sees", "love", "loves")]
        )
        return Pair([subj_en, verb_en, "you"], [subj_pt, "te", verb_pt])
    subj_en, verb_en, subj_pt, verb_pt = rng.choice(SUBJECTS_VERBS)
    src, tgt = [subj_en, verb_en], [subj_pt, verb_pt]
    for k in range(num_phrases):
        if k > 0:
            src.append("and")
            tgt.append("e")
        phrase = _random_noun_phrase(rng, p_adjective)
        src += phrase.src
        tgt += phrase.tgt
    return Pair(src, tgt)


def all_single_nouns() -> list[Pair]:
    """Every bare noun and its translation with article: ``cat -> o gato``, ``cats -> os gatos``."""
    pairs = []
    for noun in NOUNS:
        for plural in (False, True):
            pairs.append(noun_phrase(noun, None, plural, None))
    return pairs


def all_noun_phrases() -> list[Pair]:
    """Every noun phrase of the lexicon on its own: bare or with "the"/"a"/"some", with or
    without an adjective ("black cats" -> "os gatos pretos", "a new table" -> "uma mesa nova")."""
    forms = [(None, False), (None, True), ("the", False), ("the", True), ("a", False), ("some", True)]
    pairs = []
    for noun in NOUNS:
        for determiner, plural in forms:
            for adjective in (None, *ADJECTIVES):
                pairs.append(noun_phrase(noun, determiner, plural, adjective))
    return pairs


def make_phrase_pairs(
    n: int,
    num_phrases: Sequence[int] | int = (1, 2, 3, 4),
    seed: int = 0,
    p_adjective: float = 0.6,
) -> list[Pair]:
    """``n`` random sentence pairs, drawn with ``seed``; the same seed gives the same list.

    ``num_phrases`` is the number of noun phrases per sentence, or a list of numbers to
    cycle through (so each length is equally common). Source lengths grow by about three
    tokens per phrase: "i see" + "the black cat" + "and a dog" ...
    """
    n = check_positive_int("n", n)
    seed = check_int("seed", seed, minimum=0)
    counts = [num_phrases] if isinstance(num_phrases, int) else list(num_phrases)
    if not counts:
        raise ValueError("num_phrases is empty; expected an integer >= 0 or a list of them")
    counts = [check_int("num_phrases", k, minimum=0) for k in counts]
    if not 0.0 <= p_adjective <= 1.0:
        raise ValueError(f"p_adjective must be in [0, 1], got {p_adjective}")
    rng = random.Random(seed)
    return [sample_pair(rng, counts[i % len(counts)], p_adjective) for i in range(n)]


def build_vocabs(pairs: Sequence[Pair]) -> tuple[Vocab, Vocab]:
    """Source and target vocabularies covering the whole lexicon (not only ``pairs``).

    Building them from the lexicon means a held-out sentence never meets ``<unk>``.
    Index 0 is ``<unk>``; ``<pad>``, ``<bos>`` and ``<eos>`` follow.
    """
    src_words = ["and", "you", "the", "a", "some"]
    tgt_words = ["e", "te"] + sorted(set(_ARTICLES.values()))
    for s_en, v_en, s_pt, v_pt in SUBJECTS_VERBS:
        src_words += [s_en, v_en]
        tgt_words += [s_pt, v_pt]
    for noun in NOUNS:
        src_words += [noun.en, noun.en_plural]
        tgt_words += [noun.pt, noun.pt_plural]
    for adj in ADJECTIVES:
        src_words.append(adj.en)
        tgt_words += [adj.m, adj.f, adj.m_plural, adj.f_plural]
    for pair in pairs:
        src_words += pair.src
        tgt_words += pair.tgt
    return Vocab(src_words, reserved=RESERVED), Vocab(tgt_words, reserved=RESERVED)


def noun_phrase_count(pair: Pair) -> int:
    """How many noun phrases the source lists: one more than its "and"s (0 for "i love you")."""
    if "you" in pair.src and "and" not in pair.src:
        return 0
    return pair.src.count("and") + 1


class TranslationSplit(NamedTuple):
    """The translation chapters' data: what the models train on and the unseen test sentences."""

    train: list[Pair]
    test: list[Pair]


def translation_split(train_size: int = 4000, test_per_group: int = 100, seed: int = 1) -> TranslationSplit:
    """The shared data of chapters 6 and 9, so that their models see exactly the same sentences.

    ``train``: ``train_size`` random sentences with zero to five noun phrases (drawn with
    ``seed``), followed by every noun phrase of the lexicon on its own. ``test``: for each
    number of noun phrases from one to five, the first ``test_per_group`` different sentences
    drawn with ``seed + 1`` whose source is not in ``train``, in that order.
    """
    train_size = check_positive_int("train_size", train_size)
    test_per_group = check_positive_int("test_per_group", test_per_group)
    seed = check_int("seed", seed, minimum=0)
    train = make_phrase_pairs(train_size, num_phrases=(0, 1, 2, 3, 4, 5), seed=seed) + all_noun_phrases()
    seen = {tuple(p.src) for p in train}
    candidates = make_phrase_pairs(20 * test_per_group, num_phrases=(1, 2, 3, 4, 5), seed=seed + 1)
    test = []
    for k in (1, 2, 3, 4, 5):
        fresh = []
        for pair in candidates:
            if noun_phrase_count(pair) == k and tuple(pair.src) not in seen:
                seen.add(tuple(pair.src))  # each test sentence once
                fresh.append(pair)
        if len(fresh) < test_per_group:
            raise ValueError(f"only {len(fresh)} unseen sentences with {k} noun phrases; ask for fewer")
        test += fresh[:test_per_group]
    return TranslationSplit(train, test)


# --------------------------------------------------------------------------- batches


class PhraseBatch(NamedTuple):
    """A padded batch. Masks are ``True`` on real tokens, ``False`` on padding.

    ``tgt_in`` is the decoder's input (``<bos>`` + target) and ``tgt_out`` what it must
    predict (target + ``<eos>``): the same sentence shifted by one, which is teacher forcing.
    """

    src: torch.Tensor  # (B, S) source indices
    src_mask: torch.Tensor  # (B, S) bool
    tgt_in: torch.Tensor  # (B, T)
    tgt_out: torch.Tensor  # (B, T)
    tgt_mask: torch.Tensor  # (B, T) bool


def pad_batch(seqs: Sequence[Sequence[int]], pad_idx: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack index lists into a ``(B, L)`` tensor padded with ``pad_idx``, and its mask."""
    if len(seqs) == 0:
        raise ValueError("seqs is empty; expected at least one sequence")
    if any(len(s) == 0 for s in seqs):
        raise ValueError("every sequence must contain at least one token; got an empty one")
    width = max(len(s) for s in seqs)
    # One tensor from padded lists: a copy per row was a fifth of a translator's training step.
    ids = torch.tensor([[*s] + [pad_idx] * (width - len(s)) for s in seqs], dtype=torch.long)
    mask = torch.tensor([[True] * len(s) + [False] * (width - len(s)) for s in seqs], dtype=torch.bool)
    return ids, mask


def encode_pairs(
    pairs: Sequence[Pair], src_vocab: Vocab, tgt_vocab: Vocab, device: torch.device | str | None = None
) -> PhraseBatch:
    """Turn a list of pairs into one padded :class:`PhraseBatch`, its tensors on ``device`` (default: CPU)."""
    if len(pairs) == 0:
        raise ValueError("pairs is empty; expected at least one (src, tgt) pair")
    pad, bos, eos = (tgt_vocab.token_to_idx[t] for t in (PAD, BOS, EOS))
    src_ids = [src_vocab.encode(p.src) for p in pairs]
    tgt_ids = [tgt_vocab.encode(p.tgt) for p in pairs]
    src, src_mask = pad_batch(src_ids, src_vocab.token_to_idx[PAD])
    tgt_in, tgt_mask = pad_batch([[bos] + t for t in tgt_ids], pad)
    tgt_out, _ = pad_batch([t + [eos] for t in tgt_ids], pad)
    batch = PhraseBatch(src, src_mask, tgt_in, tgt_out, tgt_mask)
    return batch if device is None else PhraseBatch(*(t.to(device) for t in batch))


def phrase_batches(
    pairs: Sequence[Pair],
    src_vocab: Vocab,
    tgt_vocab: Vocab,
    batch_size: int,
    seed: int = 0,
    device: torch.device | str | None = None,
) -> Iterator[PhraseBatch]:
    """Shuffle ``pairs`` with ``seed`` and yield padded batches of ``batch_size`` (the last may be smaller).

    The batches' tensors live on ``device`` (default: CPU), e.g. the model's.
    """
    batch_size = check_positive_int("batch_size", batch_size)
    seed = check_int("seed", seed, minimum=0)
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    for start in range(0, len(order), batch_size):
        yield encode_pairs(
            [pairs[i] for i in order[start : start + batch_size]], src_vocab, tgt_vocab, device
        )


__all__ = [
    "ADJECTIVES",
    "BOS",
    "EOS",
    "NOUNS",
    "PAD",
    "SUBJECTS_VERBS",
    "UNK",
    "Adjective",
    "Noun",
    "Pair",
    "PhraseBatch",
    "TranslationSplit",
    "all_noun_phrases",
    "all_single_nouns",
    "article",
    "build_vocabs",
    "encode_pairs",
    "make_phrase_pairs",
    "noun_phrase",
    "noun_phrase_count",
    "pad_batch",
    "phrase_batches",
    "sample_pair",
    "translation_split",
]
