"""``python -m pipelines.synth``: the same as ``csc-synth``."""

import sys

from pipelines.synth.cli import main

sys.exit(main())
