"""Results of runs too long for a chapter, written by ``tools/runs/run_delay.py``; do not edit.

``DELAY_RUNS``: test accuracy (0..1) of ``seqmodels.bptt.delay_accuracy`` for every seed, every
window length k (None: full BPTT) and every delay in ``delays``, in that order.
"""

DELAY_RUNS = {
    'delays': [2, 3, 4, 6],
    'windows': [None, 4],
    'seeds': [0, 1, 2],
    'runs': [
        {'seed': 0, 'k': None, 'accuracy': [1.0, 1.0, 1.0, 0.9997]},
        {'seed': 0, 'k': 4, 'accuracy': [1.0, 0.9987, 0.3666, 0.3739]},
        {'seed': 1, 'k': None, 'accuracy': [1.0, 1.0, 1.0, 1.0]},
        {'seed': 1, 'k': 4, 'accuracy': [1.0, 0.9999, 0.3536, 0.321]},
        {'seed': 2, 'k': None, 'accuracy': [1.0, 1.0, 1.0, 1.0]},
        {'seed': 2, 'k': 4, 'accuracy': [1.0, 0.9988, 0.3348, 0.3332]},
    ],
    'machine': 'x86_64, 1 CPU thread, numpy 2.4.6',
}
