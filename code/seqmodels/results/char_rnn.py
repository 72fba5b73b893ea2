"""Results of runs too long for a chapter, written by ``tools/runs/run_char_rnn.py``; do not edit.

``CHAR_RNN_RUNS``: chapter 4's character RNN trained with five seeds; for each run the
validation nats/char on the chapter's characters (``char_logprobs``, one stream), the
``train_lm`` validation curve and the final training loss.
"""

CHAR_RNN_RUNS = {
    'config': {'embed_size': 32, 'hidden_size': 128, 'batch_size': 32, 'num_steps': 64, 'max_steps': 300, 'lr': 0.01, 'eval_every': 50, 'valid_chars': 20000},
    'seeds': (0, 1, 2, 3, 4),
    'last': 20,
    'runs': [
        {'seed': 0, 'nats': 1.86703, 'eval_steps': [50, 100, 150, 200, 250, 300], 'eval_loss': [2.26179, 2.07716, 2.00429, 1.95407, 1.91736, 1.87083], 'train_loss': 1.82733},
        {'seed': 1, 'nats': 1.87777, 'eval_steps': [50, 100, 150, 200, 250, 300], 'eval_loss': [2.25754, 2.08909, 2.00261, 1.95046, 1.90807, 1.88088], 'train_loss': 1.83395},
        {'seed': 2, 'nats': 1.86743, 'eval_steps': [50, 100, 150, 200, 250, 300], 'eval_loss': [2.26721, 2.07963, 2.00632, 1.95606, 1.91219, 1.86976], 'train_loss': 1.8228},
        {'seed': 3, 'nats': 1.85909, 'eval_steps': [50, 100, 150, 200, 250, 300], 'eval_loss': [2.24484, 2.06899, 1.99568, 1.94994, 1.89487, 1.85961], 'train_loss': 1.82307},
        {'seed': 4, 'nats': 1.87406, 'eval_steps': [50, 100, 150, 200, 250, 300], 'eval_loss': [2.27641, 2.0954, 2.0064, 1.95093, 1.90336, 1.87829], 'train_loss': 1.83161},
    ],
    'machine': 'x86_64, 1 CPU thread, torch 2.13.0+cpu',
}
