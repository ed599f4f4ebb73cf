"""pantau core: settings, errors, record types, the SQL store and the CLI root.

The core imports nothing else of ours. The other packages (crawlers, models, indexes, labeling, api)
plug into it through entry points declared in ``pyproject.toml`` (see :mod:`pantau.plugins`).
"""

__version__ = "0.1.0"
