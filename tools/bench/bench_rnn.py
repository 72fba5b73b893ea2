"""Time ScratchRNN against torch.nn.RNN: forward + backward on the CPU.

    python tools/bench/bench_rnn.py [results.json] [--batch 32] [--steps 64] [--hidden 128] [--repeats 10]

Both layers get the same weights and the same input; the script reports the median time
of one forward + backward pass for each and their ratio (how many times slower the
Python loop over time is than PyTorch's fused kernel).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import time

import torch
from torch import nn

from seqmodels.rnn import ScratchRNN


def time_forward_backward(model: nn.Module, x: torch.Tensor, repeats: int) -> float:
    """Median seconds of ``model(x)`` followed by a backward pass, after one warm-up."""
    times = []
    for i in range(repeats + 1):
        model.zero_grad(set_to_none=True)
        start = time.perf_counter()
        out, h = model(x)
        (out.sum() + h.sum()).backward()
        if i:  # the first run warms up the allocator and the kernels
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json_path", nargs="?", help="write the results as JSON here")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=64)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--input", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)

    torch.manual_seed(0)
    ref = nn.RNN(args.input, args.hidden, batch_first=True)
    mine = ScratchRNN(args.input, args.hidden, batch_first=True)
    mine.load_state_dict(ref.state_dict())
    x = torch.randn(args.batch, args.steps, args.input)
    t_ref = time_forward_backward(ref, x, args.repeats)
    t_mine = time_forward_backward(mine, x, args.repeats)
    result = {
        "batch": args.batch,
        "steps": args.steps,
        "hidden": args.hidden,
        "input": args.input,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "nn_rnn_seconds": t_ref,
        "scratch_rnn_seconds": t_mine,
        "ratio": t_mine / t_ref,
    }
    print(
        f"batch {args.batch}, T {args.steps}, H {args.hidden}, input {args.input}, "
        f"{result['threads']} threads, forward+backward (median of {args.repeats}):"
    )
    print(f"  nn.RNN      {1000 * t_ref:8.2f} ms")
    print(f"  ScratchRNN  {1000 * t_mine:8.2f} ms")
    print(f"  ratio ScratchRNN / nn.RNN: {result['ratio']:.2f}")
    if args.json_path:
        pathlib.Path(args.json_path).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
