"""The book's architecture diagrams: one function per diagram, one visual language.

Each function returns a :class:`matplotlib.figure.Figure` built without pyplot, so a
notebook cell whose last line is the call shows the diagram exactly once. The shapes,
colours and arrows they share live in :mod:`seqmodels.diagrams.shapes`.

- chapter 1 (:mod:`.sequences`): :func:`parse_tree`, :func:`k_step_forecast`
- chapter 3 (:mod:`.feedforward`): :func:`neuron`, :func:`two_layer_network`, :func:`feedforward_per_step`
- chapter 4 (:mod:`.recurrent`): :func:`rnn_folded_unrolled`, :func:`task_shapes`, :func:`embedding_lookup`,
  :func:`stream_batches`
- chapter 5 (:mod:`.bptt`): :func:`bptt_graph`
- chapter 6 (:mod:`.seq2seq`): :func:`encoder_decoder`
- chapter 7 (:mod:`.gradients`): :func:`gradient_path`, :func:`clipping_cliff`
- chapter 8 (:mod:`.gated`): :func:`lstm_cell`, :func:`gru_cell`
- chapter 9 (:mod:`.attention`): :func:`dense_everything`, :func:`attention_over_states`
"""

from seqmodels.diagrams.attention import attention_over_states, dense_everything
from seqmodels.diagrams.bptt import bptt_graph
from seqmodels.diagrams.feedforward import feedforward_per_step, neuron, two_layer_network
from seqmodels.diagrams.gated import gru_cell, lstm_cell
from seqmodels.diagrams.gradients import clipping_cliff, gradient_path
from seqmodels.diagrams.recurrent import embedding_lookup, rnn_folded_unrolled, stream_batches, task_shapes
from seqmodels.diagrams.seq2seq import encoder_decoder
from seqmodels.diagrams.sequences import k_step_forecast, parse_tree

__all__ = [
    "parse_tree",
    "k_step_forecast",
    "neuron",
    "two_layer_network",
    "feedforward_per_step",
    "rnn_folded_unrolled",
    "task_shapes",
    "embedding_lookup",
    "stream_batches",
    "bptt_graph",
    "encoder_decoder",
    "gradient_path",
    "clipping_cliff",
    "lstm_cell",
    "gru_cell",
    "dense_everything",
    "attention_over_states",
]
