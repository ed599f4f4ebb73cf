"""The examples in the coordination modules' docstrings run and stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["minhash", "coordination", "narratives"])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"models.coordination.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
