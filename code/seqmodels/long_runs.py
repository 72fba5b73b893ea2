"""Results of runs too long for a chapter, written by ``tools/lm_long_run.py``; do not edit.

``LSTM_LONG_RUN``: validation loss (nats/char) of a larger character LSTM on the shared
Shakespeare split every ``eval_every`` steps; chapter 8 compares it with the n-gram model.
"""

LSTM_LONG_RUN = {
    'config': {'cell': 'lstm', 'hidden_size': 256, 'embed_size': 32, 'batch_size': 32, 'num_steps': 64, 'lr': 0.003, 'clip': 1.0, 'eval_every': 250, 'seed': 0},
    'eval_steps': [250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2250, 2500, 2750, 3000, 3250, 3500, 3750, 4000],
    'eval_loss': [1.8959, 1.6959, 1.6142, 1.5635, 1.5368, 1.521, 1.5179, 1.5043, 1.5136, 1.5038, 1.502, 1.5017, 1.5053, 1.5174, 1.5184, 1.5242],
    'seconds_per_step': 0.1233,
    'machine': 'x86_64, 1 CPU thread, torch 2.13.0+cpu',
}
