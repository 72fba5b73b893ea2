"""Results of runs too long for a chapter, written by ``tools/runs/run_adding.py``; do not edit.

``ADDING_SWEEP``: validation and test MSE on the adding problem of every network, learning
rate and seed of chapter 7's sweep.
"""

ADDING_SWEEP = {
    'config': {'seq_len': 30, 'hidden_size': 32, 'max_steps': 400, 'batch_size': 64, 'optimizer': 'adam', 'clip': 1.0, 'num_test': 1000, 'num_valid': 1000},
    'kinds': ('tanh', 'relu', 'irnn', 'lstm'),
    'lrs': (0.003, 0.02),
    'seeds': (0, 1, 2),
    'runs': [
        {'kind': 'tanh', 'lr': 0.003, 'seed': 0, 'valid_mse': 0.17696, 'test_mse': 0.15557},
        {'kind': 'tanh', 'lr': 0.003, 'seed': 1, 'valid_mse': 0.1625, 'test_mse': 0.17575},
        {'kind': 'tanh', 'lr': 0.003, 'seed': 2, 'valid_mse': 0.1608, 'test_mse': 0.15758},
        {'kind': 'tanh', 'lr': 0.02, 'seed': 0, 'valid_mse': 0.16917, 'test_mse': 0.15168},
        {'kind': 'tanh', 'lr': 0.02, 'seed': 1, 'valid_mse': 0.16169, 'test_mse': 0.17481},
        {'kind': 'tanh', 'lr': 0.02, 'seed': 2, 'valid_mse': 0.16693, 'test_mse': 0.16617},
        {'kind': 'relu', 'lr': 0.003, 'seed': 0, 'valid_mse': 0.1735, 'test_mse': 0.15356},
        {'kind': 'relu', 'lr': 0.003, 'seed': 1, 'valid_mse': 0.15515, 'test_mse': 0.1663},
        {'kind': 'relu', 'lr': 0.003, 'seed': 2, 'valid_mse': 0.16267, 'test_mse': 0.15784},
        {'kind': 'relu', 'lr': 0.02, 'seed': 0, 'valid_mse': 0.31414, 'test_mse': 0.31738},
        {'kind': 'relu', 'lr': 0.02, 'seed': 1, 'valid_mse': 0.13827, 'test_mse': 0.1469},
        {'kind': 'relu', 'lr': 0.02, 'seed': 2, 'valid_mse': 0.16119, 'test_mse': 0.1599},
        {'kind': 'irnn', 'lr': 0.003, 'seed': 0, 'valid_mse': 0.01033, 'test_mse': 0.01067},
        {'kind': 'irnn', 'lr': 0.003, 'seed': 1, 'valid_mse': 0.00931, 'test_mse': 0.00874},
        {'kind': 'irnn', 'lr': 0.003, 'seed': 2, 'valid_mse': 0.00951, 'test_mse': 0.00994},
        {'kind': 'irnn', 'lr': 0.02, 'seed': 0, 'valid_mse': 0.16588, 'test_mse': 0.14803},
        {'kind': 'irnn', 'lr': 0.02, 'seed': 1, 'valid_mse': 0.15484, 'test_mse': 0.16628},
        {'kind': 'irnn', 'lr': 0.02, 'seed': 2, 'valid_mse': 0.16073, 'test_mse': 0.15461},
        {'kind': 'lstm', 'lr': 0.003, 'seed': 0, 'valid_mse': 0.17243, 'test_mse': 0.15281},
        {'kind': 'lstm', 'lr': 0.003, 'seed': 1, 'valid_mse': 0.16113, 'test_mse': 0.17439},
        {'kind': 'lstm', 'lr': 0.003, 'seed': 2, 'valid_mse': 0.15881, 'test_mse': 0.15468},
        {'kind': 'lstm', 'lr': 0.02, 'seed': 0, 'valid_mse': 0.00163, 'test_mse': 0.00151},
        {'kind': 'lstm', 'lr': 0.02, 'seed': 1, 'valid_mse': 0.01061, 'test_mse': 0.01172},
        {'kind': 'lstm', 'lr': 0.02, 'seed': 2, 'valid_mse': 0.00217, 'test_mse': 0.00223},
    ],
    'machine': 'x86_64, 1 CPU thread, torch 2.13.0+cpu',
}
