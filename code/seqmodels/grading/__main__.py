"""``python -m seqmodels.grading``: the same as the ``seqmodels-grade`` command."""

import sys

from .cli import main

sys.exit(main())
