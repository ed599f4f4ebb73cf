"""Service functions the route handlers call; they raise :mod:`pantau.errors` types, never HTTP ones."""
