"""What makes a from-scratch recurrent layer a drop-in for ``torch.nn``; not part of the idea.

:class:`RecurrentLayer` holds everything :class:`~seqmodels.rnn.ScratchRNN`,
:class:`~seqmodels.gated.ScratchLSTM` and :class:`~seqmodels.gated.ScratchGRU` share with
``torch.nn.RNN``, ``LSTM`` and ``GRU``, so that a state dict moves between a scratch layer and
PyTorch's and the two give the same outputs:

- the parameters, with PyTorch's names, shapes and registration order: ``weight_ih_l0``
  ``(G, input_size)``, ``weight_hh_l0`` ``(G, H)``, ``bias_ih_l0`` and ``bias_hh_l0`` ``(G,)``,
  where ``G`` is ``num_gates`` blocks of ``H`` rows (1 for an RNN, 3 for a GRU, 4 for an
  LSTM), and PyTorch's initialisation :math:`U(-1/\\sqrt{H}, 1/\\sqrt{H})`;
- the batch layouts: time first ``(T, batch, input_size)``, ``batch_first``, or one sequence
  without a batch axis ``(T, input_size)``; the loop over time always sees time first;
- the initial states (zeros when omitted, else shaped ``(1, batch, H)``) and the final ones
  returned in PyTorch's shape;
- the input checks (:mod:`seqmodels.validation`) and a ``repr`` like PyTorch's.

A subclass writes only its loop over time, the part the book teaches.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .validation import check_bool, check_positive_int, check_sequence_input, check_state, check_state_kind


class RecurrentLayer(nn.Module):
    """The parameters, layouts and states a one-layer scratch RNN, LSTM or GRU shares with PyTorch's.

    Subclasses set ``num_gates`` and ``state_names`` (``("h0",)`` for an RNN, ``("h_0", "c_0")``
    for an LSTM), write ``forward`` as a loop over time between :meth:`_begin` and
    :meth:`_end`, and may add options to the ``repr`` through :meth:`_repr_options`.
    """

    num_gates = 1
    state_names: tuple[str, ...] = ("h_0",)
    torch_name = "RNN"

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, batch_first: bool = False
    ) -> None:
        super().__init__()
        self.input_size = check_positive_int("input_size", input_size)
        self.hidden_size = check_positive_int("hidden_size", hidden_size)
        self.bias = check_bool("bias", bias)
        self.batch_first = check_bool("batch_first", batch_first)
        self.num_layers = 1
        # Registered in PyTorch's order, so the same seed gives the same initial weights.
        G, H = self.num_gates * hidden_size, hidden_size
        self.weight_ih_l0 = nn.Parameter(torch.empty(G, input_size))
        self.weight_hh_l0 = nn.Parameter(torch.empty(G, H))
        if bias:
            self.bias_ih_l0 = nn.Parameter(torch.empty(G))
            self.bias_hh_l0 = nn.Parameter(torch.empty(G))
        else:
            self.register_parameter("bias_ih_l0", None)
            self.register_parameter("bias_hh_l0", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw every weight and bias from U(-1/sqrt(H), 1/sqrt(H)), as PyTorch does."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            nn.init.uniform_(p, -bound, bound)

    def _repr_options(self) -> list[str]:
        """Options a subclass shows after the sizes, before ``bias`` and ``batch_first``."""
        return []

    def extra_repr(self) -> str:
        options = [f"{self.input_size}, {self.hidden_size}", *self._repr_options()]
        if not self.bias:
            options.append("bias=False")
        if self.batch_first:
            options.append("batch_first=True")
        return ", ".join(options)

    def _begin(
        self, input: torch.Tensor, state: torch.Tensor | tuple[torch.Tensor, ...] | None
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, ...], bool]:
        """Input, initial states and layout as the loop wants them.

        Returns the input time first, ``(T, batch, input_size)``; one ``(batch, H)`` tensor per
        name in ``state_names`` (zeros where the caller gave none); and whether the input had no
        batch axis, which :meth:`_end` needs to undo the layout.
        """
        X, unbatched = self._time_major(input)
        check_state_kind(state, self.state_names, self.torch_name)
        states = state if isinstance(state, tuple) else (state,) * len(self.state_names)
        return (
            X,
            tuple(self._initial(n, s, X, unbatched) for n, s in zip(self.state_names, states)),
            unbatched,
        )

    def _end(
        self, outputs: list[torch.Tensor], states: tuple[torch.Tensor, ...], unbatched: bool
    ) -> tuple[torch.Tensor, torch.Tensor | tuple[torch.Tensor, ...]]:
        """The stacked outputs in the caller's layout and the final state(s) in PyTorch's shape."""
        final = tuple(self._final(s, unbatched) for s in states)
        return self._outputs(torch.stack(outputs), unbatched), final if len(final) > 1 else final[0]

    def _time_major(self, input: torch.Tensor) -> tuple[torch.Tensor, bool]:
        """Return ``input`` as ``(T, batch, input_size)`` and whether it had no batch axis."""
        check_sequence_input(input, self.input_size, self.batch_first)
        unbatched = input.dim() == 2
        if unbatched:
            return input.unsqueeze(1), True
        return (input.transpose(0, 1) if self.batch_first else input), False

    def _initial(
        self, name: str, state: torch.Tensor | None, X: torch.Tensor, unbatched: bool
    ) -> torch.Tensor:
        """An initial state of shape ``(batch, H)``: zeros, or ``state`` shaped ``(1, batch, H)``."""
        batch = X.shape[1]
        if state is None:
            return X.new_zeros(batch, self.hidden_size)
        expected = (1, self.hidden_size) if unbatched else (1, batch, self.hidden_size)
        return check_state(name, state, expected).reshape(batch, self.hidden_size)

    def _outputs(self, H: torch.Tensor, unbatched: bool) -> torch.Tensor:
        """Stacked states ``(T, batch, H)`` back in the caller's layout."""
        if unbatched:
            return H.squeeze(1)
        return H.transpose(0, 1) if self.batch_first else H

    @staticmethod
    def _final(state: torch.Tensor, unbatched: bool) -> torch.Tensor:
        """A final state ``(batch, H)`` shaped like PyTorch's ``(1, batch, H)`` (``(1, H)`` unbatched)."""
        return state if unbatched else state.unsqueeze(0)


__all__ = ["RecurrentLayer"]
