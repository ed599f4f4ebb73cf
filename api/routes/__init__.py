"""Route modules, one per resource; each handler is a thin call into :mod:`api.services`."""
