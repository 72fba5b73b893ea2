"""Small input checks shared by every module.

Each helper raises ``TypeError`` for a value of the wrong type and ``ValueError``
for a value out of range, with a message that names the argument, shows the value
received and says what is expected. Keeping them in one place makes every public
function of the package fail the same, readable way, and keeps the model modules free
to read as their equations: a model checks its inputs once, where a reader calls it,
with one line that calls a helper here.

Sections: numbers, choices and sentences; then tensors (the models' entry points).
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Collection, Iterable, Sequence, Sized
from typing import Any

import torch


def check_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    """Return ``value`` if it is an integer (not a bool) no smaller than ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_positive_int(name: str, value: Any) -> int:
    """Return ``value`` if it is an integer >= 1."""
    return check_int(name, value, minimum=1)


def check_ngram_settings(
    n: Any, smoothing: Any, k: Any, discount: Any, min_freq: Any, smoothings: Collection[str]
) -> tuple[int, str, float, float, int]:
    """An n-gram model's settings, checked: order ``n >= 1``, a known ``smoothing``, add-k's
    ``k > 0``, Kneser-Ney's ``0 < discount < 1`` and ``min_freq >= 1``."""
    if not isinstance(smoothing, str) or smoothing not in smoothings:
        raise ValueError(f"smoothing must be one of {tuple(smoothings)}, got {smoothing!r}")
    return (
        check_positive_int("n", n),
        smoothing,
        check_real("k", k, low=0.0, low_open=True),
        check_real("discount", discount, low=0.0, high=1.0, low_open=True, high_open=True),
        check_positive_int("min_freq", min_freq),
    )


def check_ngram_context(context: Any, n: int, bos: str) -> None:
    """An n-gram model's context: a sequence of exactly ``n - 1`` str tokens (``bos`` pads a start)."""
    if not isinstance(context, Sequence):
        raise TypeError(f"context must be a sequence of tokens, got {type(context).__name__}")
    if len(context) != n - 1:
        raise ValueError(
            f"context must hold exactly n - 1 = {n - 1} tokens, got {len(context)}: "
            f"{list(context)!r}; pad the start of a sequence with {bos!r}"
        )
    for tok in context:
        if not isinstance(tok, str):
            raise TypeError(f"context must contain str tokens, got {type(tok).__name__} {tok!r}")


def check_token_sequences(
    name: str, sequences: Iterable[Sequence[str]], padding: Sequence[str] = ()
) -> list[Sequence[str]]:
    """Return ``sequences`` as a list if it is an iterable of sequences of str tokens.

    A str counts as a sequence of characters, but a single str is refused as the whole
    argument (wrap it: ``[text]``). Token types are checked once per distinct token, which is
    much cheaper than once per token. No token may be one of the ``padding`` symbols, which
    the caller adds itself.
    """
    if isinstance(sequences, str):
        raise TypeError(
            f"{name} must be an iterable of token sequences, got a single str; "
            "wrap it in a list ([text]) to use it as one character sequence"
        )
    try:
        items = list(sequences)
    except TypeError:
        raise TypeError(
            f"{name} must be an iterable of token sequences, got {type(sequences).__name__}"
        ) from None
    for i, seq in enumerate(items):
        if not isinstance(seq, Sequence):
            raise TypeError(
                f"{name}[{i}] must be a sequence of tokens (list, tuple or str), got {type(seq).__name__}"
            )
    try:
        distinct = set(itertools.chain.from_iterable(items))
    except TypeError:  # an unhashable token, e.g. a list inside a sequence
        distinct = [tok for seq in items for tok in seq]
    for tok in distinct:
        if not isinstance(tok, str):
            raise TypeError(f"{name} must contain str tokens, got {type(tok).__name__} {tok!r}")
    if any(symbol in distinct for symbol in padding):
        raise ValueError(
            f"{name} contain the reserved padding symbol {' or '.join(map(repr, padding))}; "
            "the model adds the padding itself"
        )
    return items


def check_real(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a float if it is a finite real number inside the given interval.

    ``low_open``/``high_open`` make the bound strict, e.g. ``low=0, low_open=True`` for "> 0".
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None and (value <= low if low_open else value < low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value}")
    if high is not None and (value >= high if high_open else value > high):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high}, got {value}")
    return value


def check_fraction(name: str, value: Any) -> float:
    """Return ``value`` if it is a real number in the half-open interval [0, 1)."""
    return check_real(name, value, low=0.0, high=1.0, high_open=True)


def check_bool(name: str, value: Any) -> bool:
    """Return ``value`` if it is ``True`` or ``False`` (not 0, 1 or a string)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return value


def check_choice(name: str, value: Any, choices: Collection[str]) -> str:
    """Return ``value`` if it is one of ``choices`` (shown sorted in the message)."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


def check_nonempty(name: str, items: Sized, what: str) -> None:
    """Raise ``ValueError`` if ``items`` is empty; ``what`` names one item (``"(src, tgt) pair"``)."""
    if len(items) == 0:
        raise ValueError(f"{name} is empty; expected at least one {what}")


def check_token_list(name: str, tokens: Any, what: str = "list of tokens") -> None:
    """A sentence must be a list of tokens: a string would be read one character at a time."""
    if isinstance(tokens, str):
        raise TypeError(f"{name} must be a {what}, not a string; use sentence.split()")


def check_sentences(sentences: Sequence[Sequence[str]]) -> None:
    """At least one sentence, each a non-empty list of tokens (what a translator can encode)."""
    check_nonempty("sentences", sentences, "tokenised sentence")
    for sentence in sentences:
        check_token_list("each sentence", sentence)
        if len(sentence) == 0:
            raise ValueError("an empty sentence cannot be translated; every source needs a token")


def check_prefix(prefix: Any) -> None:
    """A decoder's prefix: a non-empty list of target indices (it starts with ``<bos>``)."""
    if isinstance(prefix, (str, bytes)) or len(prefix) == 0:
        raise ValueError(
            f"prefix must be a non-empty list of target indices starting with <bos>, got {prefix!r}"
        )


def check_same_length(predictions: Sequence, references: Sequence) -> None:
    """One prediction per reference, and at least one reference."""
    if len(predictions) != len(references):
        raise ValueError(
            f"got {len(predictions)} predictions for {len(references)} references; expected one each"
        )
    check_nonempty("references", references, "sentence")


# --------------------------------------------------------------------------- tensors
#
# The checks of the models' public entry points: the step functions (chapters 4 and 8), the
# scratch layers' inputs and states, the translator's batches and attention (chapters 6 and 9).
# The layers below an entry point check nothing, so that each reads as its equations.


def check_tensor(name: str, value: Any) -> torch.Tensor:
    """Return ``value`` if it is a ``torch.Tensor``."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(value).__name__}")
    return value


def check_step(num_gates: int, x: Any, h: Any, W_ih: Any, W_hh: Any, c: Any = None) -> None:
    """The arguments of one step of a recurrent cell with ``num_gates`` stacked blocks of weights.

    ``W_ih`` needs ``num_gates * H`` rows and ``W_hh`` shape ``(num_gates * H, H)``, where ``H``
    is the size of ``h``; an LSTM's cell state ``c`` has the shape of ``h``.
    """
    named = {"x": x, "h": h, "c": c, "W_ih": W_ih, "W_hh": W_hh}
    for name, value in named.items():
        if value is not None or name != "c":
            check_tensor(name, value)
    G, H = num_gates * h.shape[-1], h.shape[-1]
    if W_ih.shape[0] != G or tuple(W_hh.shape) != (G, H):
        raise ValueError(
            f"W_ih must have {G} rows and W_hh shape ({G}, {H}) for hidden size "
            f"{H}, got {tuple(W_ih.shape)} and {tuple(W_hh.shape)}"
        )
    if c is not None and c.shape != h.shape:
        raise ValueError(f"c must have the shape of h {tuple(h.shape)}, got {tuple(c.shape)}")


def check_sequence_input(input: Any, input_size: int, batch_first: bool) -> torch.Tensor:
    """The input of a recurrent layer: floating point, ``(T, batch, input_size)`` or ``(T, input_size)``.

    (``(batch, T, input_size)`` with ``batch_first``), with at least one time step.
    """
    check_tensor("input", input)
    if input.dim() not in (2, 3):
        layout = "(batch, T, input_size)" if batch_first else "(T, batch, input_size)"
        raise ValueError(
            f"input must have shape {layout} (3 dimensions) or (T, input_size), got {tuple(input.shape)}"
        )
    if input.shape[-1] != input_size:
        raise ValueError(
            f"input must have input_size={input_size} features in its last dimension, "
            f"got shape {tuple(input.shape)} with {input.shape[-1]}"
        )
    if not input.is_floating_point():
        raise TypeError(f"input must be a floating-point tensor, got {input.dtype}")
    if input.shape[1 if (batch_first and input.dim() == 3) else 0] == 0:
        raise ValueError(f"input must contain at least one time step, got shape {tuple(input.shape)}")
    return input


def check_state(name: str, state: Any, shape: tuple[int, ...]) -> torch.Tensor:
    """An initial state handed to a recurrent layer: a tensor of exactly ``shape``."""
    if not isinstance(state, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor or None, got {type(state).__name__}")
    if tuple(state.shape) != shape:
        raise ValueError(f"{name} must have shape {shape}, got {tuple(state.shape)}")
    return state


def check_state_kind(state: Any, names: tuple[str, ...], layer: str) -> None:
    """One state: ``None`` or a tensor; two (the LSTM's): ``None`` or a tuple ``(h_0, c_0)``."""
    if len(names) > 1 and not (state is None or (isinstance(state, tuple) and len(state) == len(names))):
        raise TypeError(f"state must be None or a tuple ({', '.join(names)}), like torch.nn.{layer}")
    if len(names) == 1 and isinstance(state, tuple):
        raise TypeError(f"state must be None or a tensor {names[0]}, like torch.nn.{layer} (not a tuple)")


def check_lstm_trace(lstm: Any, x: Any) -> torch.Tensor:
    """A one-layer ``nn.LSTM`` and one sequence for it; returns the sequence as ``(T, input_size)``."""
    from torch import nn

    if not isinstance(lstm, nn.LSTM):
        raise TypeError(f"lstm must be a torch.nn.LSTM, got {type(lstm).__name__}")
    if lstm.num_layers != 1 or lstm.bidirectional or lstm.proj_size != 0:
        raise ValueError(
            "lstm must be a one-layer, one-directional LSTM without projection, got "
            f"num_layers={lstm.num_layers}, bidirectional={lstm.bidirectional}, proj_size={lstm.proj_size}"
        )
    check_tensor("x", x)
    if x.dim() == 3:
        if x.shape[0] != 1 or not lstm.batch_first:
            raise ValueError(
                "x must be one sequence: (T, input_size), or (1, T, input_size) for a batch_first layer; "
                f"got shape {tuple(x.shape)} (batch_first={lstm.batch_first})"
            )
        x = x[0]
    if x.dim() != 2 or x.shape[0] < 1 or x.shape[1] != lstm.input_size:
        raise ValueError(f"x must have shape (T, {lstm.input_size}) with T >= 1, got {tuple(x.shape)}")
    if not x.is_floating_point():
        raise TypeError(f"x must be a floating-point tensor, got {x.dtype}")
    return x


def check_token_ids(name: str, ids: Any, vocab_size: int) -> None:
    """A batch of token indices: an integer tensor ``(batch, length)``, not empty, inside the vocabulary."""
    if not isinstance(ids, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of token indices, got {type(ids).__name__}")
    if ids.dim() != 2:
        raise ValueError(f"{name} must have shape (batch, length), got shape {tuple(ids.shape)}")
    if ids.dtype not in (torch.int64, torch.int32):
        raise TypeError(f"{name} must hold integer token indices, got dtype {ids.dtype}")
    if ids.shape[0] == 0 or ids.shape[1] == 0:
        raise ValueError(
            f"{name} is empty (shape {tuple(ids.shape)}); expected at least one token per sentence"
        )
    low, high = int(ids.min()), int(ids.max())
    if low < 0 or high >= vocab_size:
        raise ValueError(
            f"{name} holds index {low if low < 0 else high}, outside the vocabulary; "
            f"expected 0 <= index < {vocab_size} (was it encoded with the other language's vocabulary?)"
        )


def check_source(src: Any, src_mask: Any, vocab_size: int) -> None:
    """Source ids, and a bool mask of the same shape, True on a non-empty prefix of each row."""
    check_token_ids("src", src, vocab_size)
    if not isinstance(src_mask, torch.Tensor) or src_mask.dtype != torch.bool:
        raise TypeError("src_mask must be a bool tensor (True on real tokens, False on padding)")
    if src_mask.shape != src.shape:
        raise ValueError(f"src_mask has shape {tuple(src_mask.shape)} but src has shape {tuple(src.shape)}")
    lengths = src_mask.sum(dim=1)
    if bool((lengths == 0).any()):
        raise ValueError(
            "a source sentence is empty (its mask has no True entry); every source needs a token"
        )
    # padding must come after the tokens: mask rows look like 1 1 1 0 0
    positions = torch.arange(src_mask.shape[1], device=src_mask.device).expand_as(src_mask)
    if not torch.equal(src_mask, positions < lengths[:, None]):
        raise ValueError("src_mask must be True on a prefix of each row (tokens first, then padding)")


def check_translation_batch(
    src: Any, src_mask: Any, tgt_in: Any, src_vocab_size: int, tgt_vocab_size: int
) -> None:
    """A teacher-forced batch: the source, its mask and the decoder's input, one target per source."""
    check_source(src, src_mask, src_vocab_size)
    check_token_ids("target", tgt_in, tgt_vocab_size)
    if tgt_in.shape[0] != src.shape[0]:
        raise ValueError(
            f"batch sizes differ: src has {src.shape[0]} sentences, tgt_in has {tgt_in.shape[0]}; "
            "pair each source with one target"
        )


def check_attention(query: Any, keys: Any, mask: Any = None) -> None:
    """Queries ``(B, T, H)``, keys ``(B, S, H)`` and a mask ``(B, S)`` that keeps a position per row."""
    check_tensor("query", query)
    check_tensor("keys", keys)
    if query.dim() != 3 or keys.dim() != 3:
        raise ValueError(
            f"query and keys must be 3-D (batch, length, hidden), got {tuple(query.shape)} and {tuple(keys.shape)}"
        )
    if query.shape[0] != keys.shape[0] or query.shape[2] != keys.shape[2]:
        raise ValueError(
            f"query {tuple(query.shape)} and keys {tuple(keys.shape)} must agree in batch size and hidden size"
        )
    if mask is not None:
        if mask.shape != (keys.shape[0], keys.shape[1]):
            raise ValueError(
                f"mask must have shape {(keys.shape[0], keys.shape[1])}, got {tuple(mask.shape)}"
            )
        if bool((~mask).all(dim=1).any()):
            raise ValueError("mask hides every position of some sequence; at least one must be True")
