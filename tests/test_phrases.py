"""Tests for seqmodels.phrases: the seeded English -> Portuguese phrase set."""

import random

import pytest
import torch

from seqmodels.phrases import (
    ADJECTIVES,
    BOS,
    EOS,
    NOUNS,
    PAD,
    UNK,
    Pair,
    all_noun_phrases,
    all_single_nouns,
    article,
    build_vocabs,
    encode_pairs,
    make_phrase_pairs,
    noun_phrase,
    noun_phrase_count,
    pad_batch,
    phrase_batches,
    sample_pair,
    translation_split,
)

NOUN = {n.en: n for n in NOUNS}
ADJ = {a.en: a for a in ADJECTIVES}


def test_the_lecture_examples_translate_as_in_the_lecture():
    assert noun_phrase(NOUN["cat"], None, False, None) == Pair(["cat"], ["o", "gato"])
    assert noun_phrase(NOUN["cat"], "the", False, ADJ["black"]) == Pair(
        ["the", "black", "cat"], ["o", "gato", "preto"]
    )
    rng = random.Random(0)
    loves = {tuple(p.src): p.tgt for p in (sample_pair(rng, 0) for _ in range(200))}
    assert loves[("i", "love", "you")] == ["eu", "te", "amo"]


def test_feminine_nouns_get_feminine_articles_and_adjectives():
    house, black = NOUN["house"], ADJ["black"]
    assert noun_phrase(house, "the", False, black).tgt == ["a", "casa", "preta"]
    assert noun_phrase(house, "the", True, black).tgt == ["as", "casas", "pretas"]
    assert noun_phrase(house, "a", False, None).tgt == ["uma", "casa"]
    assert noun_phrase(house, "some", True, ADJ["new"]).tgt == ["umas", "casas", "novas"]
    assert noun_phrase(house, None, True, None).tgt == ["as", "casas"]


def test_masculine_plural_agreement():
    assert noun_phrase(NOUN["dog"], "the", True, ADJ["white"]).tgt == ["os", "cães", "brancos"]
    assert noun_phrase(NOUN["book"], "some", True, ADJ["big"]).tgt == ["uns", "livros", "grandes"]


def test_agreement_holds_in_every_generated_sentence():
    by_en = {n.en: n for n in NOUNS} | {n.en_plural: n for n in NOUNS}
    for pair in make_phrase_pairs(300, (1, 2, 3), seed=5):
        for i, word in enumerate(pair.src):
            if word in by_en:  # find the Portuguese noun and check its article
                noun = by_en[word]
                plural = word == noun.en_plural
                j = pair.tgt.index(noun.pt_plural if plural else noun.pt)
                assert (
                    pair.tgt[j - 1]
                    in {
                        ("m", False): {"o", "um"},
                        ("m", True): {"os", "uns"},
                        ("f", False): {"a", "uma"},
                        ("f", True): {"as", "umas"},
                    }[(noun.gender, plural)]
                )


def test_generator_is_seeded():
    assert make_phrase_pairs(50, seed=3) == make_phrase_pairs(50, seed=3)
    assert make_phrase_pairs(50, seed=3) != make_phrase_pairs(50, seed=4)


def test_num_phrases_controls_length():
    for k in (1, 2, 4):
        pairs = make_phrase_pairs(40, k, seed=0)
        assert all(p.src.count("and") == k - 1 and p.tgt.count("e") == k - 1 for p in pairs)
    short = make_phrase_pairs(100, 1, seed=0)
    long = make_phrase_pairs(100, 4, seed=0)
    assert max(len(p.src) for p in short) < min(len(p.src) for p in long)


def test_cycling_num_phrases_makes_each_length_equally_common():
    pairs = make_phrase_pairs(60, (0, 1, 2), seed=0)
    assert sum(p.src[-1] == "you" for p in pairs) == 20  # num_phrases = 0: "... you"
    assert sum(p.src.count("and") == 1 for p in pairs) == 20  # num_phrases = 2


def test_single_nouns_turn_one_word_into_two():
    pairs = all_single_nouns()
    assert len(pairs) == 2 * len(NOUNS)
    assert all(len(p.src) == 1 and len(p.tgt) == 2 for p in pairs)


def test_all_noun_phrases_lists_every_form_once():
    pairs = all_noun_phrases()
    assert len(pairs) == len(NOUNS) * 6 * (len(ADJECTIVES) + 1)
    assert len({tuple(p.src) for p in pairs}) == len(pairs)
    assert Pair(["the", "black", "cat"], ["o", "gato", "preto"]) in pairs
    assert Pair(["a", "new", "table"], ["uma", "mesa", "nova"]) in pairs


def test_vocabs_reserve_special_tokens_and_cover_the_lexicon():
    src_vocab, tgt_vocab = build_vocabs([])
    for vocab in (src_vocab, tgt_vocab):
        assert vocab.idx_to_token[:4] == [UNK, PAD, BOS, EOS]
    pairs = make_phrase_pairs(200, (0, 1, 2, 3), seed=1)
    assert all(UNK not in src_vocab.decode(src_vocab.encode(p.src)) for p in pairs)
    assert all(UNK not in tgt_vocab.decode(tgt_vocab.encode(p.tgt)) for p in pairs)


def test_batches_are_padded_shifted_and_masked():
    pairs = [Pair(["cat"], ["o", "gato"]), Pair(["the", "black", "cats"], ["os", "gatos", "pretos"])]
    src_vocab, tgt_vocab = build_vocabs(pairs)
    b = encode_pairs(pairs, src_vocab, tgt_vocab)
    assert b.src.shape == (2, 3) and b.tgt_in.shape == (2, 4) and b.tgt_out.shape == (2, 4)
    assert b.src_mask.tolist() == [[True, False, False], [True, True, True]]
    assert tgt_vocab.decode(b.tgt_in[0]) == [BOS, "o", "gato", PAD]
    assert tgt_vocab.decode(b.tgt_out[0]) == ["o", "gato", EOS, PAD]
    assert b.tgt_mask.tolist() == [[True, True, True, False], [True] * 4]


def test_phrase_batches_cover_every_pair_once():
    pairs = make_phrase_pairs(50, seed=0)
    src_vocab, tgt_vocab = build_vocabs(pairs)
    batches = list(phrase_batches(pairs, src_vocab, tgt_vocab, batch_size=16, seed=0))
    assert [b.src.shape[0] for b in batches] == [16, 16, 16, 2]


def test_noun_phrase_count_counts_the_phrases_a_sentence_lists():
    rng = random.Random(0)
    for k in (0, 1, 2, 5):
        assert noun_phrase_count(sample_pair(rng, k)) == k


def test_translation_split_tests_on_unseen_sentences_one_hundred_per_length():
    split = translation_split()
    assert len(split.train) == 4000 + len(all_noun_phrases())
    assert [noun_phrase_count(p) for p in split.test] == [k for k in (1, 2, 3, 4, 5) for _ in range(100)]
    seen = {tuple(p.src) for p in split.train}
    assert not any(tuple(p.src) in seen for p in split.test)
    assert translation_split() == split  # the same sentences every time
    small = translation_split(train_size=50, test_per_group=3, seed=4)
    assert len(small.test) == 15 and small.train[:50] != split.train[:50]
    with pytest.raises(ValueError, match="only .* unseen sentences"):
        translation_split(test_per_group=3500)  # there are only 3,456 sentences with one noun phrase
    with pytest.raises(ValueError, match="train_size must be >= 1"):
        translation_split(train_size=0)


def test_article_rejects_impossible_combinations():
    assert article("the", True, "f") == "as"
    with pytest.raises(ValueError, match="no article for determiner='a', plural=True"):
        article("a", True, "m")
    with pytest.raises(ValueError, match="gender"):
        article("the", False, "x")


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="num_phrases must be >= 0"):
        make_phrase_pairs(5, -1)
    with pytest.raises(ValueError, match="num_phrases is empty"):
        make_phrase_pairs(5, [])
    with pytest.raises(ValueError, match="n must be >= 1"):
        make_phrase_pairs(0)
    with pytest.raises(ValueError, match="p_adjective must be in"):
        make_phrase_pairs(5, p_adjective=1.5)
    with pytest.raises(TypeError, match="rng must be a random.Random"):
        sample_pair(0, 1)
    with pytest.raises(ValueError, match="empty sequence|at least one token"):
        pad_batch([[1, 2], []], 0)
    with pytest.raises(ValueError, match="seqs is empty"):
        pad_batch([], 0)
    with pytest.raises(ValueError, match="pairs is empty"):
        encode_pairs([], *build_vocabs([]))
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        next(phrase_batches(make_phrase_pairs(3), *build_vocabs([]), batch_size=0))
    assert isinstance(pad_batch([[1]], 0)[0], torch.Tensor)


def test_batches_can_be_made_on_the_models_device():
    pairs = make_phrase_pairs(20, seed=0)
    src_vocab, tgt_vocab = build_vocabs(pairs)
    meta = torch.device("meta")
    assert {t.device for t in encode_pairs(pairs, src_vocab, tgt_vocab, device=meta)} == {meta}
    batches = phrase_batches(pairs, src_vocab, tgt_vocab, batch_size=8, seed=0, device="meta")
    assert {t.device for b in batches for t in b} == {meta}
    assert {t.device for t in encode_pairs(pairs, src_vocab, tgt_vocab)} == {torch.device("cpu")}
