"""Functions that return components (no callbacks except the generic ones registered by
``register_callbacks`` in ``grid`` and ``shell``)."""
