"""Results of runs too long for a chapter, written by ``tools/runs/run_lm_memory.py``; do not edit.

``LM_MEMORY``: test nats/char of chapter 8's best character LSTM (configuration ``name``,
chosen on validation, seed ``seed``) with its state reset every ``reset_every`` characters
(None: never), and of Kneser-Ney counts of every order in ``kn_orders`` (discount chosen on
validation), overall and per kind of character (``kinds``: each kind's share of the test
characters); ``run``: the weights' SHA-256 and the run's configuration and losses.
"""

LM_MEMORY = {
    'name': 'lstm-2x512',
    'seed': 0,
    'reset_every': (4, 8, 16, 32, 64, 128, 256, None),
    'kn_orders': (1, 2, 3, 4, 5, 6, 7),
    'kn_discounts': (0.7, 0.8, 0.85, 0.9, 0.95),
    'kinds_context': 5,
    'run': {'weights_sha256': '9cd2e1cdb23f1ff3a27468bda14950701bcf36f06022845f1a5f3167556fff77', 'config': {'batch_size': 32, 'num_steps': 128, 'weight_decay': 0.01, 'clip': 1.0, 'warmup': 50, 'eval_every': 100, 'patience': 3, 'num_layers': 2, 'hidden_size': 512, 'embed_size': 64, 'dropout': 0.25, 'lr': 0.002, 'max_steps': 1800}, 'best_step': 1800, 'valid_nats': 1.3718, 'test_nats': 1.3442},
    'kinds': {'after a line break': 0.0418, 'word start': 0.1498, 'inside a word': 0.7626, 'other': 0.0458, 'context seen': 0.905, 'context unseen': 0.095, 'before a line break': 0.0418},
    'runs': [
        {'model': 'lstm', 'reset_every': 4, 'test_nats': 2.3305, 'kinds': {'after a line break': 2.7442, 'word start': 3.1273, 'inside a word': 2.2159, 'other': 1.2552, 'context seen': 2.3339, 'context unseen': 2.2985, 'before a line break': 1.927}},
        {'model': 'lstm', 'reset_every': 8, 'test_nats': 1.9233, 'kinds': {'after a line break': 2.6346, 'word start': 3.0057, 'inside a word': 1.7224, 'other': 1.078, 'context seen': 1.9128, 'context unseen': 2.0234, 'before a line break': 1.4818}},
        {'model': 'lstm', 'reset_every': 16, 'test_nats': 1.6921, 'kinds': {'after a line break': 2.552, 'word start': 2.9183, 'inside a word': 1.4414, 'other': 1.0688, 'context seen': 1.6695, 'context unseen': 1.9072, 'before a line break': 1.0864}},
        {'model': 'lstm', 'reset_every': 32, 'test_nats': 1.5546, 'kinds': {'after a line break': 2.4688, 'word start': 2.8658, 'inside a word': 1.2842, 'other': 0.9341, 'context seen': 1.5279, 'context unseen': 1.8093, 'before a line break': 0.8404}},
        {'model': 'lstm', 'reset_every': 64, 'test_nats': 1.4531, 'kinds': {'after a line break': 2.4098, 'word start': 2.8358, 'inside a word': 1.1742, 'other': 0.7005, 'context seen': 1.4237, 'context unseen': 1.7335, 'before a line break': 0.7323}},
        {'model': 'lstm', 'reset_every': 128, 'test_nats': 1.3978, 'kinds': {'after a line break': 2.3811, 'word start': 2.8217, 'inside a word': 1.1139, 'other': 0.5701, 'context seen': 1.3667, 'context unseen': 1.6942, 'before a line break': 0.687}},
        {'model': 'lstm', 'reset_every': 256, 'test_nats': 1.3707, 'kinds': {'after a line break': 2.3587, 'word start': 2.816, 'inside a word': 1.0844, 'other': 0.5077, 'context seen': 1.3391, 'context unseen': 1.6717, 'before a line break': 0.6593}},
        {'model': 'lstm', 'reset_every': None, 'test_nats': 1.3442, 'kinds': {'after a line break': 2.3361, 'word start': 2.8095, 'inside a word': 1.0559, 'other': 0.4456, 'context seen': 1.3117, 'context unseen': 1.654, 'before a line break': 0.6339}},
        {'model': 'kn', 'order': 1, 'discount': 0.7, 'test_nats': 3.3148, 'kinds': {'after a line break': 4.9128, 'word start': 3.6518, 'inside a word': 3.1946, 'other': 2.7572, 'context seen': 3.3051, 'context unseen': 3.4073, 'before a line break': 3.2237}},
        {'model': 'kn', 'order': 2, 'discount': 0.7, 'test_nats': 2.4911, 'kinds': {'after a line break': 2.9089, 'word start': 3.1422, 'inside a word': 2.4346, 'other': 0.9195, 'context seen': 2.4832, 'context unseen': 2.5664, 'before a line break': 1.8074}},
        {'model': 'kn', 'order': 3, 'discount': 0.7, 'test_nats': 1.969, 'kinds': {'after a line break': 2.4961, 'word start': 3.0213, 'inside a word': 1.8061, 'other': 0.7562, 'context seen': 1.9564, 'context unseen': 2.0887, 'before a line break': 1.348}},
        {'model': 'kn', 'order': 4, 'discount': 0.7, 'test_nats': 1.6247, 'kinds': {'after a line break': 2.5375, 'word start': 2.9642, 'inside a word': 1.3653, 'other': 0.7295, 'context seen': 1.6079, 'context unseen': 1.7853, 'before a line break': 1.1531}},
        {'model': 'kn', 'order': 5, 'discount': 0.8, 'test_nats': 1.4903, 'kinds': {'after a line break': 2.6008, 'word start': 2.9417, 'inside a word': 1.1899, 'other': 0.7295, 'context seen': 1.464, 'context unseen': 1.7401, 'before a line break': 1.1147}},
        {'model': 'kn', 'order': 6, 'discount': 0.9, 'test_nats': 1.4618, 'kinds': {'after a line break': 2.6378, 'word start': 2.9459, 'inside a word': 1.1493, 'other': 0.7378, 'context seen': 1.4351, 'context unseen': 1.7162, 'before a line break': 1.1182}},
        {'model': 'kn', 'order': 7, 'discount': 0.9, 'test_nats': 1.4571, 'kinds': {'after a line break': 2.6582, 'word start': 2.9694, 'inside a word': 1.1368, 'other': 0.7488, 'context seen': 1.43, 'context unseen': 1.7162, 'before a line break': 1.122}},
    ],
    'machine': 'x86_64, 1 CPU thread, torch 2.13.0+cpu',
}
