"""pantau's query language, parsed into a small typed tree before any engine sees it.

::

    kecurangan pemilu            both words (AND is implied); words are stemmed: "curang" matches too
    hoaks OR fitnah              either (ATAU works too)
    "surat suara"                the exact phrase, unstemmed
    kpu -bawaslu                 kpu but not bawaslu (NOT / BUKAN work too)
    (ktp OR kk) AND palsu        parentheses group

Operators are upper case (``AND``/``DAN``, ``OR``/``ATAU``, ``NOT``/``BUKAN``); lower-case ``and``,
``atau``… are ordinary words. Malformed input raises :class:`pantau.errors.QuerySyntaxError` with the
character position and the reason — an unclosed quote or parenthesis, an operator with nothing to
apply to, a query that is too long or too deep.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexes.analysis import stem, words
from pantau.errors import QuerySyntaxError

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
MAX_DEPTH = 12

OR_WORDS = {"OR", "ATAU"}
AND_WORDS = {"AND", "DAN"}
NOT_WORDS = {"NOT", "BUKAN"}


@dataclass(frozen=True)
class Term:
    """One word; matched on its stem."""

    word: str

    @property
    def stem(self) -> str:
        return stem(self.word)


@dataclass(frozen=True)
class Phrase:
    """Words in this order, matched exactly (unstemmed)."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class MatchAll:
    """An empty query: every document (filters still apply)."""


Node = Term | Phrase | And | Or | Not | MatchAll


@dataclass(frozen=True)
class _Tok:
    kind: str  # word | phrase | lparen | rparen | and | or | not | minus
    text: str
    pos: int


def _error(query: str, pos: int, reason: str) -> QuerySyntaxError:
    shown = query if len(query) <= 80 else query[:77] + "..."
    return QuerySyntaxError(f"query {shown!r}: {reason} at position {pos + 1}")


def _tokenize(query: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in '"“”':
            end = next((j for j in range(i + 1, n) if query[j] in '"“”'), -1)
            if end < 0:
                raise _error(query, i, "unclosed quote")
            toks.append(_Tok("phrase", query[i + 1 : end], i))
            i = end + 1
        elif ch == "(":
            toks.append(_Tok("lparen", ch, i))
            i += 1
        elif ch == ")":
            toks.append(_Tok("rparen", ch, i))
            i += 1
        elif ch == "-" and (not toks or toks[-1].kind != "word" or query[i - 1].isspace()):
            toks.append(_Tok("minus", ch, i))
            i += 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()"“”':
                j += 1
            word = query[i:j]
            kind = (
                "or"
                if word in OR_WORDS
                else "and"
                if word in AND_WORDS
                else "not"
                if word in NOT_WORDS
                else "word"
            )
            toks.append(_Tok(kind, word, i))
            i = j
    return toks


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.toks = _tokenize(query)
        self.i = 0
        self.clauses = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def end_pos(self) -> int:
        return len(self.query)

    def parse(self) -> Node:
        if not self.toks:
            return MatchAll()
        node = self.parse_or(0)
        tok = self.peek()
        if tok is not None:
            reason = "unmatched ')'" if tok.kind == "rparen" else f"unexpected {tok.text!r}"
            raise _error(self.query, tok.pos, reason)
        return node

    def parse_or(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            tok = self.peek()
            raise _error(self.query, tok.pos if tok is not None else 0, f"nested deeper than {MAX_DEPTH}")
        children = [self.parse_and(depth)]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in ("or", "and", "rparen"):  # type: ignore[union-attr]
                raise _error(self.query, tok.pos, f"{tok.text} needs a word after it")
            children.append(self.parse_and(depth))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self, depth: int) -> Node:
        children = [self.parse_unary(depth)]
        while (tok := self.peek()) is not None and tok.kind not in ("or", "rparen"):
            if tok.kind == "and":
                self.take()
                nxt = self.peek()
                if nxt is None or nxt.kind in ("or", "and", "rparen"):
                    raise _error(self.query, tok.pos, f"{tok.text} needs a word after it")
            children.append(self.parse_unary(depth))
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self, depth: int) -> Node:
        tok = self.peek()
        if tok is None:
            raise _error(self.query, self.end_pos(), "the query ends where a word was expected")
        if tok.kind in ("not", "minus"):
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("or", "and", "rparen", "not", "minus"):
                raise _error(self.query, tok.pos, f"{tok.text!r} needs a word after it")
            return Not(self.parse_unary(depth + 1))
        return self.parse_primary(depth)

    def parse_primary(self, depth: int) -> Node:
        tok = self.take()
        if tok.kind == "lparen":
            if self.peek() is not None and self.peek().kind == "rparen":  # type: ignore[union-attr]
                raise _error(self.query, tok.pos, "empty parentheses")
            node = self.parse_or(depth + 1)
            close = self.peek()
            if close is None or close.kind != "rparen":
                raise _error(self.query, tok.pos, "unclosed '('")
            self.take()
            return node
        if tok.kind == "rparen":
            raise _error(self.query, tok.pos, "unmatched ')'")
        if tok.kind in ("and", "or"):
            raise _error(self.query, tok.pos, f"{tok.text} needs a word before it")
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise _error(self.query, tok.pos, f"more than {MAX_CLAUSES} words and phrases")
        found = words(tok.text)
        if not found:
            kind = "phrase" if tok.kind == "phrase" else "word"
            raise _error(self.query, tok.pos, f"{kind} {tok.text!r} has no letters or digits to search for")
        if tok.kind == "phrase" or len(found) > 1:
            return Phrase(tuple(found))
        return Term(found[0])


def parse_query(text: str) -> Node:
    """The tree of ``text``; :class:`QuerySyntaxError` (position + reason) when it is malformed."""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}")
    return _Parser(text).parse()


def positive_terms(node: Node) -> tuple[set[str], list[tuple[str, ...]]]:
    """Stems and phrases the query looks for (not under NOT), for highlighting."""
    stems: set[str] = set()
    phrases: list[tuple[str, ...]] = []

    def walk(n: Node) -> None:
        if isinstance(n, Term):
            stems.add(n.stem)
        elif isinstance(n, Phrase):
            phrases.append(n.words)
        elif isinstance(n, And | Or):
            for child in n.children:
                walk(child)

    walk(node)
    return stems, phrases
