"""Synthetic data generator: the full data contract for one or many LAs.

Use ``csc-synth`` (or ``python -m pipelines.synth``) from the shell, or from Python::

    from pipelines.synth import SynthConfig, generate
    summary = generate(SynthConfig(out=Path("data/landing"), las=("850",)))
"""

from pipelines.synth.config import Summary, SynthConfig
from pipelines.synth.generate import generate

__all__ = ["Summary", "SynthConfig", "generate"]
