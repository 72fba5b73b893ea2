"""Checkers for chapter 6 (encoder-decoder)."""

from __future__ import annotations

from collections.abc import Callable

from . import Case, Verdict, run_checks


def _shown(fn: Callable) -> Callable:
    """Call the reader's function and show its two lists as one readable line."""

    def call(tokens: list[str]) -> str:
        decoder_input, target = fn(list(tokens))
        return f"input {list(decoder_input)} -> target {list(target)}"

    return call


def check_teacher_forcing(fn: Callable[[list[str]], tuple[list[str], list[str]]]) -> Verdict:
    """Check ``fn(tokens) -> (decoder_input, target)`` for teacher forcing.

    The decoder reads ``<bos>`` followed by the sentence, and must predict the sentence
    followed by ``<eos>``: the same words, shifted by one step.
    """
    cases = [
        Case("the lecture's 'o gato'", (["o", "gato"],), "input ['<bos>', 'o', 'gato'] -> target ['o', 'gato', '<eos>']"),
        Case(
            "three words, 'eu te amo'",
            (["eu", "te", "amo"],),
            "input ['<bos>', 'eu', 'te', 'amo'] -> target ['eu', 'te', 'amo', '<eos>']",
        ),
        Case("one word", (["sim"],), "input ['<bos>', 'sim'] -> target ['sim', '<eos>']"),
        Case("an empty sentence", ([],), "input ['<bos>'] -> target ['<eos>']"),
    ]
    return run_checks("check_teacher_forcing", _shown(fn), cases)


def teacher_forcing_solution(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The reference answer."""
    return ["<bos>"] + list(tokens), list(tokens) + ["<eos>"]


__all__ = ["check_teacher_forcing", "teacher_forcing_solution"]
