"""A recurrent neural network built from tensor operations, equal to ``torch.nn.RNN``.

The book writes the state update with column vectors,

.. math:: h_t = \\tanh(W_{hh} h_{t-1} + W_{xh} x_t + b_h),

with the same weights at every time step, :math:`W_{xh} \\in \\mathbb{R}^{H \\times m}` and
:math:`W_{hh} \\in \\mathbb{R}^{H \\times H}`. That is exactly how PyTorch stores them:
``weight_ih_l0`` is :math:`W_{xh}` (shape ``(H, input_size)``) and ``weight_hh_l0`` is
:math:`W_{hh}` (shape ``(H, H)``). PyTorch adds two bias vectors, whose sum is :math:`b_h`,
and works with rows (one row per sequence in the batch), so for a batch the same update reads

.. math:: h_t = f(x_t W_{ih}^T + b_{ih} + h_{t-1} W_{hh}^T + b_{hh}),

which is :func:`rnn_step`, with :math:`W_{ih} = W_{xh}`. (Texts that write
:math:`h_t = \\tanh(W_{hh}^T h_{t-1} + W_{xh}^T x_t)` store every matrix transposed,
:math:`W_{xh} \\in \\mathbb{R}^{m \\times H}`; it is the same model.) :class:`ScratchRNN` runs
this update in an explicit Python loop over time. What makes it a drop-in for ``torch.nn.RNN``
with one layer (parameter names, shapes, initialisation, layouts, states) is in
:mod:`seqmodels.recurrent_base`: a state dict copies across and the two give the same
outputs; the tests check it to 1e-10 in float64.

The output layer :math:`\\hat y_t = W_{hy} h_t + b_y` is not part of the recurrent layer (as in
PyTorch): :class:`seqmodels.lm.CharLM` adds it on top.
"""

from __future__ import annotations

import torch

from .recurrent_base import RecurrentLayer
from .validation import check_choice, check_step

_NONLINEARITIES = {"tanh": torch.tanh, "relu": torch.relu}


def rnn_step(
    x_t: torch.Tensor,
    h_prev: torch.Tensor,
    W_ih: torch.Tensor,
    W_hh: torch.Tensor,
    b_ih: torch.Tensor | None = None,
    b_hh: torch.Tensor | None = None,
    nonlinearity: str = "tanh",
) -> torch.Tensor:
    """One time step: ``h_t = f(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)`` for a batch of rows.

    ``x_t`` has shape ``(batch, input_size)`` and ``h_prev`` shape ``(batch, H)``; ``W_ih`` is
    the book's :math:`W_{xh}` ``(H, input_size)`` and ``W_hh`` its :math:`W_{hh}` ``(H, H)``,
    in PyTorch's layout. This is the whole of a vanilla RNN cell.
    """
    check_step(1, x_t, h_prev, W_ih, W_hh)
    f = _NONLINEARITIES[check_choice("nonlinearity", nonlinearity, _NONLINEARITIES)]
    z = x_t @ W_ih.T + h_prev @ W_hh.T
    if b_ih is not None:
        z = z + b_ih
    if b_hh is not None:
        z = z + b_hh
    return f(z)


class ScratchRNN(RecurrentLayer):
    """A one-layer Elman RNN written as a loop over time; a drop-in for ``torch.nn.RNN``.

    ``forward(input, h0=None)`` takes ``input`` of shape ``(T, batch, input_size)``
    (``(batch, T, input_size)`` with ``batch_first=True``) or, unbatched, ``(T, input_size)``,
    and an optional initial state ``h0`` of shape ``(1, batch, H)`` (``(1, H)`` unbatched;
    zeros when omitted). It returns every hidden state, shaped like the input with ``H``
    features, and the final state ``h_T`` shaped like ``h0``: exactly what ``nn.RNN`` returns.
    """

    state_names = ("h0",)

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
    ) -> None:
        self.nonlinearity = check_choice("nonlinearity", nonlinearity, _NONLINEARITIES)
        super().__init__(input_size, hidden_size, bias=bias, batch_first=batch_first)

    def forward(
        self, input: torch.Tensor, h0: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """All hidden states and the final one, for ``input`` and initial state ``h0``."""
        X, (h,), unbatched = self._begin(input, h0)  # X[t] is the batch of inputs at step t
        outputs = []
        for x_t in X:  # the same weights at every step: parameter sharing
            h = rnn_step(
                x_t,
                h,
                self.weight_ih_l0,
                self.weight_hh_l0,
                self.bias_ih_l0,
                self.bias_hh_l0,
                self.nonlinearity,
            )
            outputs.append(h)
        return self._end(outputs, (h,), unbatched)

    def _repr_options(self) -> list[str]:
        return [] if self.nonlinearity == "tanh" else [f"nonlinearity={self.nonlinearity!r}"]


__all__ = ["RecurrentLayer", "ScratchRNN", "rnn_step"]
