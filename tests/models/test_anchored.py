"""Searches started at literal openings give the whole-text search's answer."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from models.text.anchored import found_at_openings, found_before_closings

#: every match starts with "ab" or "x"; the lookbehind and \b read the character before the opening
REGEX = re.compile(r"(?<![a-z])ab+c\b|x(?<=\bx)y")


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet="abcxy _", max_size=25))
def test_the_answer_of_a_whole_text_search(text: str) -> None:
    assert found_at_openings(REGEX, text, ("ab", "x")) == (REGEX.search(text) is not None)


def test_no_openings_no_match() -> None:
    assert not found_at_openings(REGEX, "abc", ())
    assert found_at_openings(REGEX, "zz abbc", ("ab",))
    assert not found_at_openings(REGEX, "zabbc", ("ab",))  # the lookbehind sees the "z"


#: no lookarounds; every match ends with "ab" or "c" and spans at most 7 characters
CLOSED = re.compile(r"(?:x|yy)[ _]{0,3}(?:ab|c)")


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet="abcxy _", max_size=25))
def test_a_search_before_closings_answers_like_a_whole_text_search(text: str) -> None:
    assert found_before_closings(CLOSED, text, ("ab", "c"), 7) == (CLOSED.search(text) is not None)


def test_a_match_spanning_the_whole_reach_is_found() -> None:
    assert found_before_closings(CLOSED, "a yy _ ab", ("ab", "c"), 7)
    assert not found_before_closings(CLOSED, "a yy _ ab", ("ab", "c"), 6)  # a reach too short misses it
