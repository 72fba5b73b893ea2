"""Time the from-scratch LSTM against torch.nn.LSTM: forward + backward on the CPU.

    python tools/bench/bench_gated.py [OUTPUT.json]

Both layers get the same weights and the same batch; each is timed over a few repeats
after a warm-up, and the best time per repeat is kept (the least disturbed by other work on
the machine). The goal for ScratchLSTM is at most 3x the time of PyTorch's fused layer.
"""

from __future__ import annotations

import json
import pathlib
import sys
import time

import torch
from torch import nn

from seqmodels.gated import ScratchGRU, ScratchLSTM

CONFIG = {"batch": 32, "T": 64, "input_size": 32, "hidden": 128, "repeats": 10}


def best_time(layer: nn.Module, x: torch.Tensor, repeats: int) -> float:
    """Best wall-clock seconds of one forward + backward pass over ``repeats`` runs."""
    for _ in range(2):  # warm-up
        out, _ = layer(x)
        out.sum().backward()
    times = []
    for _ in range(repeats):
        layer.zero_grad(set_to_none=True)
        start = time.perf_counter()
        out, _ = layer(x)
        out.sum().backward()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str]) -> dict:
    torch.manual_seed(0)
    c = CONFIG
    x = torch.randn(c["batch"], c["T"], c["input_size"])
    result = {"config": c, "threads": torch.get_num_threads()}
    for name, ref_cls, mine_cls in (("lstm", nn.LSTM, ScratchLSTM), ("gru", nn.GRU, ScratchGRU)):
        ref = ref_cls(c["input_size"], c["hidden"], batch_first=True)
        mine = mine_cls(c["input_size"], c["hidden"], batch_first=True)
        mine.load_state_dict(ref.state_dict())
        t_ref, t_mine = best_time(ref, x, c["repeats"]), best_time(mine, x, c["repeats"])
        result[name] = {"torch_s": t_ref, "scratch_s": t_mine, "ratio": t_mine / t_ref}
        ratio = t_mine / t_ref
        print(f"{name}: torch {1000 * t_ref:.1f} ms, scratch {1000 * t_mine:.1f} ms, ratio {ratio:.2f}x")
    if argv:
        pathlib.Path(argv[0]).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
