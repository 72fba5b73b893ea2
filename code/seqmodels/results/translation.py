"""Results of runs too long for a chapter, written by ``tools/runs/run_translation.py``; do not edit.

``TRANSLATION_RUNS``: exact match, token accuracy and edit accuracy (0..1) of translators
trained with chapters 6 and 9's recipe, per number of noun phrases in the test sentences,
for several seeds and sizes of the context vector, with and without attention.
"""

TRANSLATION_RUNS = {
    'config': {'embed_size': 32, 'max_steps': 400, 'batch_size': 64, 'lr': 0.005, 'clip': 1.0, 'hidden_size': 64},
    'noun_phrases': [1, 2, 3, 4, 5],
    'runs': [
        {'attention': False, 'hidden_size': 64, 'max_steps': 400, 'seed': 0, 'exact': [0.96, 0.43, 0.06, 0.0, 0.0], 'token': [0.9833, 0.8915, 0.661, 0.5104, 0.4013], 'edit': [0.9895, 0.8915, 0.6984, 0.5626, 0.4997]},
        {'attention': False, 'hidden_size': 64, 'max_steps': 400, 'seed': 1, 'exact': [0.96, 0.42, 0.07, 0.01, 0.0], 'token': [0.9916, 0.8841, 0.6559, 0.5104, 0.3971], 'edit': [0.9916, 0.8915, 0.7154, 0.5711, 0.4815]},
        {'attention': False, 'hidden_size': 64, 'max_steps': 400, 'seed': 2, 'exact': [0.89, 0.35, 0.06, 0.01, 0.0], 'token': [0.977, 0.8415, 0.644, 0.4485, 0.3627], 'edit': [0.977, 0.8854, 0.7043, 0.5906, 0.5055]},
        {'attention': False, 'hidden_size': 64, 'max_steps': 400, 'seed': 3, 'exact': [0.9, 0.49, 0.07, 0.0, 0.0], 'token': [0.9749, 0.9012, 0.6805, 0.4941, 0.4085], 'edit': [0.9749, 0.9049, 0.7247, 0.558, 0.5122]},
        {'attention': False, 'hidden_size': 64, 'max_steps': 400, 'seed': 4, 'exact': [0.89, 0.41, 0.02, 0.0, 0.0], 'token': [0.977, 0.8902, 0.6466, 0.5352, 0.4252], 'edit': [0.977, 0.8988, 0.7043, 0.6134, 0.5185]},
        {'attention': True, 'hidden_size': 64, 'max_steps': 400, 'seed': 0, 'exact': [1.0, 1.0, 0.98, 0.97, 0.8], 'token': [1.0, 1.0, 1.0, 0.9896, 0.9567], 'edit': [1.0, 1.0, 0.9983, 0.9961, 0.9703]},
        {'attention': True, 'hidden_size': 64, 'max_steps': 400, 'seed': 1, 'exact': [1.0, 0.99, 0.99, 0.96, 0.8], 'token': [1.0, 1.0, 1.0, 0.9941, 0.9573], 'edit': [1.0, 0.9951, 0.9966, 0.9909, 0.9567]},
        {'attention': True, 'hidden_size': 64, 'max_steps': 400, 'seed': 2, 'exact': [1.0, 0.99, 1.0, 0.96, 0.84], 'token': [1.0, 1.0, 1.0, 0.9961, 0.9693], 'edit': [1.0, 0.9988, 1.0, 0.9954, 0.9844]},
        {'attention': True, 'hidden_size': 64, 'max_steps': 400, 'seed': 3, 'exact': [1.0, 0.85, 0.82, 0.66, 0.39], 'token': [1.0, 0.9707, 0.9601, 0.9348, 0.8676], 'edit': [1.0, 0.9549, 0.9601, 0.9302, 0.852]},
        {'attention': True, 'hidden_size': 64, 'max_steps': 400, 'seed': 4, 'exact': [1.0, 0.99, 0.95, 0.99, 0.87], 'token': [1.0, 1.0, 0.989, 0.998, 0.9729], 'edit': [1.0, 0.9951, 0.9932, 0.998, 0.9703]},
        {'attention': False, 'hidden_size': 32, 'max_steps': 400, 'seed': 0, 'exact': [0.34, 0.0, 0.0, 0.0, 0.0], 'token': [0.8117, 0.6268, 0.4376, 0.3396, 0.2668], 'edit': [0.8117, 0.6671, 0.4868, 0.4563, 0.42]},
        {'attention': False, 'hidden_size': 32, 'max_steps': 400, 'seed': 1, 'exact': [0.19, 0.01, 0.0, 0.0, 0.0], 'token': [0.7301, 0.5037, 0.3398, 0.2477, 0.1871], 'edit': [0.7238, 0.5671, 0.4639, 0.4198, 0.3689]},
        {'attention': False, 'hidden_size': 32, 'max_steps': 400, 'seed': 2, 'exact': [0.26, 0.02, 0.0, 0.0, 0.0], 'token': [0.7636, 0.5598, 0.339, 0.2966, 0.2194], 'edit': [0.7636, 0.4976, 0.2481, 0.1382, 0.2215]},
        {'attention': False, 'hidden_size': 128, 'max_steps': 400, 'seed': 0, 'exact': [1.0, 0.8, 0.33, 0.07, 0.0], 'token': [1.0, 0.9732, 0.836, 0.6734, 0.5076], 'edit': [1.0, 0.9732, 0.8641, 0.7275, 0.5743]},
        {'attention': False, 'hidden_size': 128, 'max_steps': 400, 'seed': 1, 'exact': [1.0, 0.71, 0.27, 0.04, 0.0], 'token': [1.0, 0.95, 0.8573, 0.6701, 0.5112], 'edit': [1.0, 0.95, 0.8683, 0.6995, 0.5888]},
        {'attention': False, 'hidden_size': 128, 'max_steps': 400, 'seed': 2, 'exact': [1.0, 0.77, 0.27, 0.02, 0.0], 'token': [1.0, 0.9598, 0.8301, 0.6538, 0.5263], 'edit': [1.0, 0.9634, 0.8513, 0.7021, 0.5972]},
        {'attention': False, 'hidden_size': 64, 'max_steps': 800, 'seed': 0, 'exact': [0.99, 0.73, 0.24, 0.02, 0.0], 'token': [0.9979, 0.9463, 0.7986, 0.6271, 0.469], 'edit': [0.9979, 0.9488, 0.8326, 0.6591, 0.5477]},
        {'attention': False, 'hidden_size': 64, 'max_steps': 800, 'seed': 1, 'exact': [0.98, 0.68, 0.21, 0.0, 0.0], 'token': [0.9958, 0.939, 0.763, 0.6069, 0.4617], 'edit': [0.9958, 0.9427, 0.819, 0.6819, 0.5581]},
        {'attention': False, 'hidden_size': 64, 'max_steps': 800, 'seed': 2, 'exact': [0.99, 0.7, 0.23, 0.01, 0.0], 'token': [0.9937, 0.9488, 0.7918, 0.601, 0.4872], 'edit': [0.9937, 0.9524, 0.8369, 0.6741, 0.58]},
    ],
    'machine': 'x86_64, 1 CPU thread, torch 2.13.0+cpu',
}
