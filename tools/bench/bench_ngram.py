"""Benchmark seqmodels.ngram_fast on Shakespeare: tokens per second for fitting and scoring.

    python tools/bench/bench_ngram.py [results.json]

Two runs, each timed for fit and for scoring held-out text (loading and tokenizing the
text are timed separately and not counted):

1. words: an interpolated Kneser-Ney trigram model on all 38 plays (80 % of every play,
   one sequence per line), scored on the next 10 % of every play;
2. characters: an interpolated Kneser-Ney 6-gram model on the six tragedies of the book's
   shared split (``shakespeare_split()``), scored on its validation part (10 %).

The book's target is at most 10 s for fit + score in each run. A third entry times chapter
2's two fits (n = 7 on the words and on the characters of the tragedies' training part) with
the readable ``seqmodels.ngram.NGramLM`` and with ``FastNGramLM``: why the chapter counts
Shakespeare with the engine.
"""

from __future__ import annotations

import json
import sys
import time

from seqmodels.data import load_plays, shakespeare_split, split_documents, tokenize_words
from seqmodels.ngram import NGramLM
from seqmodels.ngram_fast import FastNGramLM


def lines_of_words(text: str) -> list[list[str]]:
    return [words for words in map(tokenize_words, text.splitlines()) if words]


def bench(name: str, model: FastNGramLM, train: list, held_out: list) -> dict:
    start = time.perf_counter()
    model.fit(train)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    ppl = model.perplexity(held_out)
    score_s = time.perf_counter() - start
    n_train = sum(len(s) for s in train)
    n_held = sum(len(s) for s in held_out)
    result = {
        "name": name,
        "model": repr(model),
        "train_tokens": n_train,
        "held_out_tokens": n_held,
        "fit_s": round(fit_s, 3),
        "score_s": round(score_s, 3),
        "total_s": round(fit_s + score_s, 3),
        "fit_tokens_per_s": round(n_train / fit_s),
        "score_tokens_per_s": round(n_held / score_s),
        "perplexity": round(ppl, 3),
    }
    print(
        f"{name}: {model!r}\n"
        f"  fit   {n_train:>9,} tokens in {fit_s:6.2f} s = {n_train / fit_s:>12,.0f} tokens/s\n"
        f"  score {n_held:>9,} tokens in {score_s:6.2f} s = {n_held / score_s:>12,.0f} tokens/s\n"
        f"  fit + score {fit_s + score_s:.2f} s (target <= 10 s), held-out perplexity {ppl:.2f}"
    )
    return result


def readable_vs_fast(word_lines: list, chars: list) -> dict:
    """Seconds for chapter 2's two n = 7 fits with each class, and their ratio."""
    seconds = {}
    for name, cls in [("fast", FastNGramLM), ("readable", NGramLM)]:
        start = time.perf_counter()
        cls(7, "mle").fit(word_lines)
        cls(7, "mle").fit(chars)
        seconds[name] = time.perf_counter() - start
    ratio = seconds["readable"] / seconds["fast"]
    print(
        f"chapter 2's fits: readable NGramLM {seconds['readable']:.1f} s, FastNGramLM {seconds['fast']:.2f} s "
        f"({ratio:.0f} x)"
    )
    return {
        "name": "chapter 2's fits, n = 7, words + characters of the tragedies",
        "fast_fit_s": round(seconds["fast"], 3),
        "readable_fit_s": round(seconds["readable"], 3),
        "readable_over_fast": round(ratio, 1),
    }


def main(argv: list[str]) -> None:
    start = time.perf_counter()
    words = split_documents(load_plays().values())
    word_train, word_valid = lines_of_words(words.train), lines_of_words(words.valid)
    chars = shakespeare_split()
    char_train, char_valid = [chars.train], [chars.valid]  # each part as one long sequence
    print(f"loading and tokenizing took {time.perf_counter() - start:.2f} s (not counted)")
    results = [
        bench("words, 38 plays, trigram", FastNGramLM(3, "kneser-ney"), word_train, word_valid),
        bench("characters, 6 tragedies, 6-gram", FastNGramLM(6, "kneser-ney"), char_train, char_valid),
        readable_vs_fast(lines_of_words(chars.train), char_train),
    ]
    if argv:
        with open(argv[0], "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2)
        print(f"wrote {argv[0]}")


if __name__ == "__main__":
    main(sys.argv[1:])
