"""The chapter 6 checkers pass correct answers and fail each classic mistake."""

from __future__ import annotations

import math

import numpy as np
import pytest

from seqmodels.exercises.ch06 import (
    TOY_WORDS,
    ToyDecoder,
    check_beam_search,
    check_greedy,
    check_teacher_forcing,
)
from seqmodels.phrases import Pair, build_vocabs, encode_pairs


def teacher_forcing_solution(tokens):
    return ["<bos>"] + list(tokens), list(tokens) + ["<eos>"]


def greedy_solution(next_scores, bos, eos, max_len):
    prefix = [bos]
    for _ in range(max_len):
        y = int(np.argmax(next_scores(prefix)))
        if y == eos:
            break
        prefix.append(y)
    return prefix[1:]


def beam_search_solution(next_scores, bos, eos, beam_size, max_len):
    """The chapter's answer: finished sentences keep their place in the beam."""
    beams, finished = [(0.0, [bos])], []
    for _ in range(max_len):
        candidates = sorted(
            (
                (s + float(lp[y]), p + [y])
                for s, p in beams
                for lp in [next_scores(p)]
                for y in range(len(lp))
            ),
            key=lambda c: -c[0],
        )[:beam_size]
        beams = [(s, p) for s, p in candidates if p[-1] != eos]
        finished += [(s, p[1:-1]) for s, p in candidates if p[-1] == eos]
        if not beams or max((s for s, _ in finished), default=-math.inf) >= beams[0][0]:
            break
    return max(finished + [(s, p[1:]) for s, p in beams], key=lambda c: c[0])[1]


# --------------------------------------------------------------------------- teacher forcing


def test_reference_solution_passes(capsys):
    assert check_teacher_forcing(teacher_forcing_solution)
    assert "PASS: check_teacher_forcing: 4/4" in capsys.readouterr().out


def test_unshifted_answer_fails(capsys):
    assert not check_teacher_forcing(lambda tokens: (tokens, tokens))
    assert "FAIL: check_teacher_forcing" in capsys.readouterr().out


def test_answer_with_the_markers_swapped_fails():
    assert not check_teacher_forcing(lambda t: (["<eos>"] + t, t + ["<bos>"]))


def test_unfinished_answer_fails_without_raising(capsys):
    def todo(tokens):
        raise NotImplementedError("replace this line with your code")

    assert not check_teacher_forcing(todo)
    assert "raised NotImplementedError" in capsys.readouterr().out


def test_calling_the_packages_teacher_forcing_fails(capsys):
    def through_encode_pairs(tokens):
        src_vocab, tgt_vocab = build_vocabs([Pair(["x"], list(tokens))])
        batch = encode_pairs([Pair(["x"], list(tokens))], src_vocab, tgt_vocab)
        return tgt_vocab.decode(batch.tgt_in[0]), tgt_vocab.decode(batch.tgt_out[0])

    assert not check_teacher_forcing(through_encode_pairs)
    assert "and the exercise asks you to write it yourself" in capsys.readouterr().out


# --------------------------------------------------------------------------- greedy decoding


def greedy_while_loop(next_scores, bos, eos, max_len):
    """A correct variant: a while loop that asks once more before stopping."""
    out = []
    y = int(np.argmax(next_scores([bos])))
    while y != eos and len(out) < max_len:
        out.append(y)
        y = int(np.argmax(next_scores([bos, *out]))) if len(out) < max_len else eos
    return out


def test_greedy_checker_passes_correct_answers(capsys):
    assert check_greedy(greedy_solution)
    assert "PASS: check_greedy: 6/6" in capsys.readouterr().out
    assert check_greedy(greedy_while_loop)


def greedy_keeps_eos(next_scores, bos, eos, max_len):
    prefix = [bos]
    for _ in range(max_len):
        y = int(np.argmax(next_scores(prefix)))
        prefix.append(y)
        if y == eos:
            break
    return prefix[1:]


def greedy_keeps_bos(next_scores, bos, eos, max_len):
    return [bos] + greedy_solution(next_scores, bos, eos, max_len)


def greedy_without_max_len(next_scores, bos, eos, max_len):
    prefix = [bos]
    while True:
        y = int(np.argmax(next_scores(prefix)))
        if y == eos:
            return prefix[1:]
        prefix.append(y)


def greedy_one_word_too_many(next_scores, bos, eos, max_len):
    prefix = [bos]
    for _ in range(max_len + 1):
        y = int(np.argmax(next_scores(prefix)))
        if y == eos:
            break
        prefix.append(y)
    return prefix[1:]


def greedy_feeds_only_the_last_word(next_scores, bos, eos, max_len):
    out, y = [], bos
    for _ in range(max_len):
        y = int(np.argmax(next_scores([y])))
        if y == eos:
            break
        out.append(y)
    return out


def greedy_without_bos(next_scores, bos, eos, max_len):
    out = []
    for _ in range(max_len):
        y = int(np.argmax(next_scores(out)))
        if y == eos:
            break
        out.append(y)
    return out


def greedy_that_samples(next_scores, bos, eos, max_len):
    rng = np.random.default_rng(0)
    prefix = [bos]
    for _ in range(max_len):
        p = np.exp(next_scores(prefix))
        y = int(rng.choice(len(p), p=p / p.sum()))
        if y == eos:
            break
        prefix.append(y)
    return prefix[1:]


@pytest.mark.parametrize(
    "mistake",
    [
        greedy_keeps_eos,
        greedy_keeps_bos,
        greedy_without_max_len,
        greedy_one_word_too_many,
        greedy_feeds_only_the_last_word,
        greedy_without_bos,
        greedy_that_samples,
        beam_search_solution,
    ],
)
def test_greedy_checker_fails_each_classic_mistake(mistake, capsys):
    if mistake is beam_search_solution:  # the best sentence is not greedy decoding's answer

        def mistake(next_scores, bos, eos, max_len):
            return beam_search_solution(next_scores, bos, eos, 3, max_len)

    assert not check_greedy(mistake)
    assert "FAIL: check_greedy" in capsys.readouterr().out


def test_greedy_checker_stops_an_endless_loop_and_says_why(capsys):
    assert not check_greedy(greedy_without_max_len)
    assert "does the loop stop" in capsys.readouterr().out


def test_greedy_checker_explains_a_prefix_without_bos(capsys):
    assert not check_greedy(greedy_feeds_only_the_last_word)
    assert "must start with <bos>" in capsys.readouterr().out


def test_calling_the_packages_greedy_fails(capsys):
    from seqmodels.seq2seq import greedy_decode

    def through_greedy_decode(next_scores, bos, eos, max_len):
        return greedy_decode(None, None, None, max_len)

    assert not check_greedy(through_greedy_decode)
    assert (
        "it calls seqmodels.seq2seq.greedy_decode, and the exercise asks you to write it yourself"
        in capsys.readouterr().out
    )


def test_greedy_checker_reports_answers_that_are_not_index_lists(capsys):
    assert not check_greedy(lambda next_scores, bos, eos, max_len: "o gato")
    assert not check_greedy(lambda next_scores, bos, eos, max_len: [99])
    assert not check_greedy(lambda next_scores, bos, eos, max_len: [None])
    assert "list of word indices" in capsys.readouterr().out


# --------------------------------------------------------------------------- beam search


def beam_search_keeping_k_unfinished(next_scores, bos, eos, beam_size, max_len):
    """A correct variant: finished sentences leave the beam, which refills to beam_size unfinished ones."""
    beams, finished = [(0.0, [bos])], []
    for _ in range(max_len):
        candidates = sorted(
            (
                (s + float(lp[y]), p + [y])
                for s, p in beams
                for lp in [next_scores(p)]
                for y in range(len(lp))
            ),
            key=lambda c: -c[0],
        )
        beams = []
        for score, seq in candidates:
            if seq[-1] == eos:
                finished.append((score, seq[1:-1]))
            elif len(beams) < beam_size:
                beams.append((score, seq))
        if not beams or max(s for s, _ in finished or [(-math.inf, None)]) >= beams[0][0]:
            break
    return max(finished + [(s, p[1:]) for s, p in beams], key=lambda c: c[0])[1]


def test_beam_search_checker_passes_correct_answers(capsys):
    assert check_beam_search(beam_search_solution)
    assert "PASS: check_beam_search: 10/10" in capsys.readouterr().out
    assert check_beam_search(beam_search_keeping_k_unfinished)


def beam_that_is_greedy(next_scores, bos, eos, beam_size, max_len):
    return greedy_solution(next_scores, bos, eos, max_len)


def beam_of_best_children(next_scores, bos, eos, beam_size, max_len):
    """Wrong: after the first step, each hypothesis keeps only its own best child."""
    first = next_scores([bos])
    beams = [(float(first[y]), [bos, int(y)]) for y in np.argsort(-first)[:beam_size]]
    finished = []
    for _ in range(max_len):
        live = []
        for score, seq in beams:
            if seq[-1] == eos:
                finished.append((score, seq[1:-1]))
                continue
            lp = next_scores(seq)
            y = int(np.argmax(lp))
            live.append((score + float(lp[y]), seq + [y]))
        beams = live
        if not beams:
            break
    return max(finished + [(s, p[1:]) for s, p in beams], key=lambda c: c[0])[1]


def beam_that_adds_probabilities(next_scores, bos, eos, beam_size, max_len):
    """Wrong: scores a sentence by the sum of its words' probabilities."""
    beams, finished = [(0.0, [bos])], []
    for _ in range(max_len):
        candidates = sorted(
            (
                (s + float(np.exp(lp[y])), p + [y])
                for s, p in beams
                for lp in [next_scores(p)]
                for y in range(len(lp))
            ),
            key=lambda c: -c[0],
        )[:beam_size]
        beams = [(s, p) for s, p in candidates if p[-1] != eos]
        finished += [(s, p[1:-1]) for s, p in candidates if p[-1] == eos]
        if not beams or max((s for s, _ in finished), default=-math.inf) >= beams[0][0]:
            break
    return max(finished + [(s, p[1:]) for s, p in beams], key=lambda c: c[0])[1]


def beam_that_returns_the_first_finished(next_scores, bos, eos, beam_size, max_len):
    beams = [(0.0, [bos])]
    for _ in range(max_len):
        candidates = sorted(
            (
                (s + float(lp[y]), p + [y])
                for s, p in beams
                for lp in [next_scores(p)]
                for y in range(len(lp))
            ),
            key=lambda c: -c[0],
        )[:beam_size]
        for score, seq in candidates:
            if seq[-1] == eos:
                return seq[1:-1]
        beams = candidates
    return beams[0][1][1:]


def beam_that_extends_finished_sentences(next_scores, bos, eos, beam_size, max_len):
    beams = [(0.0, [bos])]
    for _ in range(max_len):
        beams = sorted(
            (
                (s + float(lp[y]), p + [y])
                for s, p in beams
                for lp in [next_scores(p)]
                for y in range(len(lp))
            ),
            key=lambda c: -c[0],
        )[:beam_size]
    return [y for y in beams[0][1][1:] if y != eos]


def beam_that_keeps_the_markers(next_scores, bos, eos, beam_size, max_len):
    return [bos] + beam_search_solution(next_scores, bos, eos, beam_size, max_len) + [eos]


@pytest.mark.parametrize(
    "mistake",
    [
        beam_that_is_greedy,
        beam_of_best_children,
        beam_that_adds_probabilities,
        beam_that_returns_the_first_finished,
        beam_that_extends_finished_sentences,
        beam_that_keeps_the_markers,
    ],
)
def test_beam_search_checker_fails_each_classic_mistake(mistake, capsys):
    assert not check_beam_search(mistake)
    assert "FAIL: check_beam_search" in capsys.readouterr().out


# --------------------------------------------------------------------------- the toy decoder


def test_toy_decoder_returns_log_probabilities_and_refuses_bad_prefixes():
    toy = ToyDecoder({"": {"o": 0.8, "<eos>": 0.2}}, max_calls=5)
    log_p = toy([0])
    assert log_p.shape == (len(TOY_WORDS),) and math.isclose(np.exp(log_p).sum(), 1.0)
    assert np.exp(toy([0, 2]))[1] == 1.0  # an unknown prefix ends the sentence
    with pytest.raises(ValueError, match="must start with <bos>"):
        toy([2])
    with pytest.raises(ValueError, match="goes on after <eos>"):
        toy([0, 1])
    with pytest.raises(ValueError, match="outside the vocabulary"):
        toy([0, 99])
    with pytest.raises(RuntimeError, match="called more than 5 times"):
        toy([0])
    with pytest.raises(TypeError, match="list of word indices"):
        ToyDecoder({}, 1)(None)
    with pytest.raises(ValueError, match="sum to"):
        ToyDecoder({"": {"o": 0.5}}, 1)


# --------------------------------------------------------------------------- the capacity exercise's solution


def test_capacity_solution_code_runs_with_the_chapters_names():
    """The solution of ch06-ex-capacity runs after the chapter's imports (it once raised NameError).

    Its code block is taken from the notebook, with two training steps and three test
    sentences so that the test stays fast; everything else is as a reader would run it.
    """
    import json
    import pathlib
    import re

    path = pathlib.Path(__file__).resolve().parent.parent / "chapters" / "06_seq2seq.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    imports = next(
        "".join(c["source"])
        for c in cells
        if c["cell_type"] == "code" and "from seqmodels.seq2seq import" in "".join(c["source"])
    )
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    solution = markdown[markdown.index("{solution} ch06-ex-capacity") :]
    code = re.search(r"```python\n(.*?)```", solution, flags=re.DOTALL).group(1)
    assert "max_steps=400" in code
    namespace: dict = {}
    exec(imports.replace("use_style()", ""), namespace)  # noqa: S102 - the chapter's own import cell
    exec(
        "split = translation_split(); train_pairs, test_pairs = split.train, split.test[::100]\n"  # noqa: S102
        "src_vocab, tgt_vocab = build_vocabs(train_pairs)",
        namespace,
    )
    exec(code.replace("max_steps=400", "max_steps=2, progress=False"), namespace)  # noqa: S102
    assert "bigger" in namespace and namespace["bigger"].encoder.hidden_size == 128


# --------------------------------------------------------------------------- the student review's variants
# (shared/reviews/exercises-tried-as-a-student.md): false passes now fail, false fails now pass.

from seqmodels.exercises import exercise  # noqa: E402
from seqmodels.exercises import score as score_cases  # noqa: E402


def teacher_forcing_as_numpy_string_arrays(tokens):
    full = np.array(["<bos>", *tokens, "<eos>"])
    return full[:-1], full[1:]


def greedy_stopping_only_when_eos_has_probability_above_a_half(next_scores, bos, eos, max_len):
    prefix = [bos]
    for _ in range(max_len):
        p = np.exp(next_scores(prefix))
        if p[eos] > 0.5:
            break
        p[eos] = 0.0
        prefix.append(int(np.argmax(p)))
    return prefix[1:]


def _beam(next_scores, bos, eos, beam_size, steps, rank=lambda s, p: s):
    """The solution, with the number of steps and the ranking of finished sentences as knobs."""
    beams, finished = [(0.0, [bos])], []
    step = 0
    while steps is None or step < steps:
        step += 1
        candidates = sorted(
            (
                (s + float(lp[y]), p + [y])
                for s, p in beams
                for lp in [next_scores(p)]
                for y in range(len(lp))
            ),
            key=lambda c: -c[0],
        )[:beam_size]
        beams = [(s, p) for s, p in candidates if p[-1] != eos]
        finished += [(s, p[1:-1]) for s, p in candidates if p[-1] == eos]
        if not beams or max((s for s, _ in finished), default=-math.inf) >= beams[0][0]:
            break
    return max(finished + [(s, p[1:]) for s, p in beams], key=lambda c: rank(c[0], c[1]))[1]


def beam_ignoring_max_len(next_scores, bos, eos, beam_size, max_len):
    return _beam(next_scores, bos, eos, beam_size, None)


def beam_stopping_a_step_early(next_scores, bos, eos, beam_size, max_len):
    return _beam(next_scores, bos, eos, beam_size, max_len - 1)


def beam_ranking_by_normalised_score_but_stopping_on_the_raw_sum(next_scores, bos, eos, beam_size, max_len):
    return _beam(next_scores, bos, eos, beam_size, max_len, rank=lambda s, p: s / max(len(p) + 1, 1))


@pytest.mark.parametrize(
    "checker, wrong",
    [
        (check_greedy, greedy_stopping_only_when_eos_has_probability_above_a_half),
        (check_beam_search, beam_ignoring_max_len),
        (check_beam_search, beam_stopping_a_step_early),
        (check_beam_search, beam_ranking_by_normalised_score_but_stopping_on_the_raw_sum),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_a_false_pass_of_the_review_now_fails(checker, wrong, capsys):
    assert not checker(wrong)
    capsys.readouterr()


def test_a_false_fail_of_the_review_now_passes_numpy_string_arrays(capsys):
    assert check_teacher_forcing(teacher_forcing_as_numpy_string_arrays)
    assert check_teacher_forcing(lambda tokens: list(teacher_forcing_solution(tokens)))  # a list pair
    capsys.readouterr()


@pytest.mark.parametrize(
    "number, solution",
    [("6.1", teacher_forcing_solution), ("6.4", greedy_solution), ("6.5", beam_search_solution)],
    ids=["6.1", "6.4", "6.5"],
)
def test_the_chapters_solutions_pass_the_hidden_cases(number, solution):
    for seed in (0, 1, 2):
        results = score_cases(exercise(number), solution, exercise(number).cases(seed))
        assert all(r.passed for r in results), [r.line for r in results if not r.passed]


def test_beam_variants_that_the_review_found_right_pass_the_hidden_cases_too():
    for fn in (beam_search_keeping_k_unfinished,):
        for seed in (0, 1, 2):
            assert all(r.passed for r in score_cases(exercise("6.5"), fn, exercise("6.5").cases(seed)))
