"""Incremental near-duplicate clustering: exact text nodes, LSH candidates, verified unions.

Posts with the same normalised text share one *node* (a retweet storm is one node, however large). A new
node gets a MinHash signature and its band keys; every node that first carried one of those keys is a
candidate, verified on the whole signature: estimated Jaccard ≥ ``threshold``, or ≥
``evidence_threshold`` when the two posts also share a link or hashtag. Verified pairs are joined with
union-find; a cluster's root is always its *oldest* node, so its id never depends on batch boundaries and
adding posts one batch at a time gives exactly the clusters of adding them all at once.

State lives in memory and in append-only files under the coordinator's directory (``nodes.tsv`` and
``signatures.u32`` per node, ``unions.tsv`` per verified pair, ``posts.tsv`` per post). :meth:`flush`
appends what is new; :meth:`load` replays the files (a torn last record from a crash is dropped, and
its posts come again from ``pantau process`` because their ``cluster_id`` was never committed).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from models.coordination.config import CoordinationConfig
from models.coordination.coordination import Coordination, score_cluster
from models.coordination.lsh import BandIndex, band_keys
from models.coordination.minhash import (
    EMPTY,
    MinHasher,
    extract_evidence,
    is_native_share,
    normalize_for_dedup,
    stable_hash64,
)

NODES_FILE, SIGS_FILE, UNIONS_FILE, POSTS_FILE = "nodes.tsv", "signatures.u32", "unions.tsv", "posts.tsv"
_SEP = "\x1f"


class PostInput(NamedTuple):
    """What clustering needs of a post (a named tuple: a batch builds hundreds of them)."""

    post_id: str
    text: str
    account: str
    platform: str
    time: float
    links: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    forwarded_from: str | None = None


def account_key(platform: str, handle: str | None, source_id: str) -> str:
    """How an account is named in clusters and edges: ``platform:handle`` (the source when no handle)."""
    return f"{platform}:{(handle or source_id or 'unknown').strip().lstrip('@').lower()}"


def _clean(value: str) -> str:
    if "\t" in value or "\n" in value or _SEP in value:
        return value.replace("\t", " ").replace("\n", " ").replace(_SEP, " ")
    return value


class ClusterEngine:
    """The clustering state (see the module docstring)."""

    def __init__(self, config: CoordinationConfig, directory: Path | None = None) -> None:
        self.config = config
        self.directory = directory
        self.hasher = MinHasher(num_perm=config.num_perm, shingle=config.shingle)
        self.index = BandIndex()
        # nodes
        self._node_of_text: dict[int, int] = {}
        self._sigs = np.zeros((1024, config.num_perm), dtype=np.uint32)
        self.node_words: list[int] = []
        self.node_first_post: list[str] = []
        self.node_evidence: dict[int, frozenset[str]] = {}
        self._evidence_count: dict[str, int] = {}
        #: evidence item → the node from which on it is too common to count (see ``max_evidence_nodes``)
        self._popular_from: dict[str, int] = {}
        self._parent: list[int] = []
        # posts
        self.post_index: dict[str, int] = {}
        self.post_ids: list[str] = []
        self.post_node: list[int] = []
        self.post_time: list[float] = []
        self.post_account: list[int] = []
        self.post_platform: list[int] = []
        self.post_share: list[bool] = []
        self._times = np.zeros(0, dtype=np.float64)
        self._accounts_arr = np.zeros(0, dtype=np.int64)
        self._shares_arr = np.zeros(0, dtype=bool)
        self._synced = 0
        self.accounts: list[str] = []
        self._account_ids: dict[str, int] = {}
        self.platforms: list[str] = []
        self._platform_ids: dict[str, int] = {}
        #: root node → indices of its posts
        self.members: dict[int, list[int]] = {}
        self._pending_nodes: list[str] = []
        self._pending_sigs: list[NDArray[np.uint32]] = []
        self._pending_unions: list[str] = []
        self._pending_posts: list[str] = []

    # ------------------------------------------------------------------ union-find
    def root(self, node: int) -> int:
        """The oldest node of ``node``'s cluster."""
        parent = self._parent
        r = node
        while parent[r] != r:
            r = parent[r]
        while parent[node] != r:
            parent[node], node = r, parent[node]
        return r

    def _union(self, a: int, b: int, merged: dict[int, int]) -> bool:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return False
        keep, gone = min(ra, rb), max(ra, rb)
        self._parent[gone] = keep
        moved = self.members.pop(gone, [])
        if moved:
            self.members.setdefault(keep, []).extend(moved)
        merged[gone] = keep
        return True

    def cluster_id(self, root: int) -> str:
        """The stable id of the cluster rooted at ``root``: ``c_`` + the id of its first post."""
        return "c_" + self.node_first_post[root]

    def coordination(self, root: int) -> Coordination:
        """Score the cluster rooted at ``root`` from its members' times and accounts."""
        members = self.members.get(root, [])
        if len(members) < 2:
            return Coordination()
        if self.node_words[root] < self.config.min_words:
            return Coordination()
        times, accounts, shares = self._post_arrays()
        idx = np.asarray(members, dtype=np.int64)
        result = score_cluster(
            times[idx], accounts[idx], self.config, shares=shares[idx], words=self.node_words[root]
        )
        # the scorer indexes the arrays it was given; map back to post indices
        result.posts = [members[i] for i in result.posts]
        return result

    def _post_arrays(self) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.bool_]]:
        """Per-post time, account and share flag as numpy arrays (grown lazily from the lists)."""
        n = len(self.post_time)
        if self._synced < n:
            if n > len(self._times):
                size = max(n, 2 * len(self._times), 1024)
                self._times = np.resize(self._times, size)
                self._accounts_arr = np.resize(self._accounts_arr, size)
                self._shares_arr = np.resize(self._shares_arr, size)
            lo = self._synced
            self._times[lo:n] = self.post_time[lo:n]
            self._accounts_arr[lo:n] = self.post_account[lo:n]
            self._shares_arr[lo:n] = self.post_share[lo:n]
            self._synced = n
        return self._times, self._accounts_arr, self._shares_arr

    def signature(self, node: int) -> NDArray[np.uint32]:
        sig: NDArray[np.uint32] = self._sigs[node]
        return sig

    # ----------------------------------------------------------------------- adding
    def _intern(self, value: str, table: dict[str, int], names: list[str]) -> int:
        got = table.get(value)
        if got is None:
            got = table[value] = len(names)
            names.append(value)
        return got

    def add(self, posts: Sequence[PostInput]) -> tuple[list[int], set[int], dict[int, int]]:
        """Cluster ``posts``: returns each post's root node (posts seen before keep theirs), the roots
        whose membership changed, and the merges made (absorbed root → surviving root)."""
        merged: dict[int, int] = {}
        new_nodes: list[int] = []
        new_texts: list[str] = []
        assigned: list[int] = []
        fresh: list[PostInput] = []
        fresh_nodes: list[int] = []
        new_keys: list[int | None] = []
        new_posts: list[PostInput] = []
        first_fresh, first_node = len(self.post_ids), len(self._parent)
        post_index, post_node, node_of_text = self.post_index, self.post_node, self._node_of_text
        for post in posts:
            known = post_index.get(post.post_id)
            if known is not None:
                assigned.append(post_node[known] if known < first_fresh else fresh_nodes[known - first_fresh])
                continue
            norm = normalize_for_dedup(post.text)
            key = stable_hash64(norm) if norm else None
            node = node_of_text.get(key) if key is not None else None
            if node is None:
                node = first_node + len(new_nodes)
                if key is not None:
                    node_of_text[key] = node
                new_nodes.append(node)
                new_texts.append(norm)
                new_keys.append(key)
                new_posts.append(post)
            post_index[post.post_id] = first_fresh + len(fresh)
            fresh.append(post)
            fresh_nodes.append(node)
            assigned.append(node)
        self._add_nodes(new_posts, new_texts, new_keys)
        self._add_posts(fresh, fresh_nodes)
        if new_nodes:
            self._link(new_nodes, new_texts, merged)
        touched: set[int] = set()
        members, root = self.members, self.root
        for index, node in enumerate(fresh_nodes, first_fresh):
            r = root(node)
            got = members.get(r)
            if got is None:
                members[r] = [index]
            else:
                got.append(index)
            touched.add(r)
        touched = {root(r) for r in touched}
        return [root(n) for n in assigned], touched, merged

    def _add_nodes(self, posts: list[PostInput], texts: list[str], keys: list[int | None]) -> None:
        """Append new nodes (already in ``_node_of_text``): one per text, first carried by ``posts``."""
        first = len(self._parent)
        self._parent.extend(range(first, first + len(posts)))
        # a text is words joined by single spaces (cut to MAX_CHARS, so it may end in one)
        words = [t.count(" ") + (not t.endswith(" ")) if t else 0 for t in texts]
        self.node_words.extend(words)
        self.node_first_post.extend([p.post_id for p in posts])
        lines = self._pending_nodes
        for node, (post, key, n_words) in enumerate(zip(posts, keys, words, strict=True), first):
            evidence = extract_evidence(post.text, post.links, post.hashtags)
            line = f"{key if key is not None else ''}\t{n_words}\t{post.post_id}\t"
            if evidence:
                self.node_evidence[node] = evidence
                self._count_evidence(node, evidence)
                line += _SEP.join(sorted(_clean(e) for e in evidence))
            lines.append(line)

    def _count_evidence(self, node: int, evidence: frozenset[str]) -> None:
        # depends only on node order, so batch boundaries do not change which evidence counts
        limit = self.config.max_evidence_nodes
        for item in evidence:
            count = self._evidence_count.get(item, 0) + 1
            self._evidence_count[item] = count
            if count == limit + 1:
                self._popular_from[item] = node

    def _counts_as_evidence(self, item: str, node: int) -> bool:
        return self._popular_from.get(item, node + 1) > node

    def _add_posts(self, posts: list[PostInput], nodes: list[int]) -> None:
        """Append new posts (already in ``post_index``) of ``nodes`` to the per-post lists, in bulk."""
        accounts = [_clean(p.account) for p in posts]
        platforms = [_clean(p.platform) for p in posts]
        shares = [is_native_share(p.text, p.forwarded_from) for p in posts]
        self.post_ids.extend([p.post_id for p in posts])
        self.post_node.extend(nodes)
        self.post_time.extend([p.time for p in posts])
        account_ids, platform_ids = self._account_ids, self._platform_ids
        self.post_account.extend(
            [account_ids.get(a) or self._intern(a, account_ids, self.accounts) for a in accounts]
        )
        self.post_platform.extend(
            [platform_ids.get(p) or self._intern(p, platform_ids, self.platforms) for p in platforms]
        )
        self.post_share.extend(shares)
        self._pending_posts.extend(
            [
                f"{p.post_id}\t{n}\t{p.time!r}\t{a}\t{pl}\t{int(sh)}"
                for p, n, a, pl, sh in zip(posts, nodes, accounts, platforms, shares, strict=True)
            ]
        )

    def _store_signatures(self, nodes: list[int], sigs: NDArray[np.uint32]) -> None:
        need = nodes[-1] + 1
        if need > len(self._sigs):
            grown = np.zeros((max(need, 2 * len(self._sigs)), self.config.num_perm), dtype=np.uint32)
            grown[: len(self._sigs)] = self._sigs
            self._sigs = grown
        self._sigs[nodes[0] : need] = sigs

    def _link(self, nodes: list[int], texts: list[str], merged: dict[int, int], log: bool = True) -> None:
        """Signatures, candidates, verification and unions for new (consecutive) nodes."""
        sigs = self.hasher.signatures(texts) if texts else np.zeros((0, self.config.num_perm), np.uint32)
        self._store_signatures(nodes, sigs)
        if log:
            self._pending_sigs.append(sigs)
        keys, owners = self._keys(nodes, sigs)
        if len(keys) == 0:
            return
        # candidates among stored nodes, and among the new nodes themselves (star to each key's first)
        found = self.index.lookup(keys)
        order = np.lexsort((owners, keys))
        sk, so, sf = keys[order], owners[order], found[order]
        first_pos = np.r_[0, np.nonzero(sk[1:] != sk[:-1])[0] + 1]
        first_of = np.repeat(so[first_pos], np.diff(np.r_[first_pos, len(sk)]))
        target = np.where(sf >= 0, sf, first_of)
        keep = so != target
        if len(self._parent) < 1 << 31:
            # unique (node, candidate) pairs in lexicographic order, packed as one int64 each (far faster
            # than np.unique over rows)
            code = np.unique((so[keep] << 32) | target[keep])
            pairs = np.stack([code >> 32, code & 0xFFFFFFFF], axis=1)
        else:
            pairs = np.unique(np.stack([so, target], axis=1)[keep], axis=0)
        self.index.add(keys, owners, known=found)
        if len(pairs):
            self._verify_and_union(pairs, merged, log)

    def _keys(
        self, nodes: list[int], sigs: NDArray[np.uint32]
    ) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
        """Flat index keys of ``nodes`` and the node of each: LSH band keys of non-empty signatures, then
        one key per shared-evidence item (link or hashtag), both in node order."""
        valid = sigs[:, 0] != EMPTY
        node_arr = np.asarray(nodes, dtype=np.int64)[valid]
        band = band_keys(sigs[valid], self.config.bands).reshape(-1)
        band_owner = np.repeat(node_arr, self.config.bands)
        ev_keys: list[int] = []
        ev_owner: list[int] = []
        for node in node_arr.tolist():
            for item in sorted(self.node_evidence.get(node, ())):
                if not self._counts_as_evidence(item, node):
                    continue
                ev_keys.append(stable_hash64("evidence:" + item))
                ev_owner.append(node)
        keys = np.concatenate([band, np.asarray(ev_keys, dtype=np.uint64)])
        owners = np.concatenate([band_owner, np.asarray(ev_owner, dtype=np.int64)])
        return keys, owners

    def _verify_and_union(self, pairs: NDArray[np.int64], merged: dict[int, int], log: bool) -> None:
        sims = (self._sigs[pairs[:, 0]] == self._sigs[pairs[:, 1]]).mean(axis=1)
        cfg = self.config
        for (a, b), sim in zip(pairs.tolist(), sims.tolist(), strict=True):
            if sim < cfg.evidence_threshold:
                continue
            if sim < cfg.threshold:
                ea, eb = self.node_evidence.get(a), self.node_evidence.get(b)
                later = max(a, b)
                if not ea or not eb or not any(self._counts_as_evidence(e, later) for e in ea & eb):
                    continue
            if self._union(a, b, merged) and log:
                self._pending_unions.append(f"{a}\t{b}")

    # ------------------------------------------------------------------ persistence
    def flush(self) -> None:
        """Append what is new to the files (nodes, then signatures, unions, posts) and fsync them."""
        if self.directory is None:
            self._pending_nodes, self._pending_sigs, self._pending_unions, self._pending_posts = (
                [],
                [],
                [],
                [],
            )
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, lines in ((NODES_FILE, self._pending_nodes),):
            _append_lines(self.directory / name, lines)
        if self._pending_sigs:
            with open(self.directory / SIGS_FILE, "ab") as fh:
                for sig in self._pending_sigs:
                    fh.write(np.ascontiguousarray(sig, dtype="<u4").tobytes())
                fh.flush()
                os.fsync(fh.fileno())
        _append_lines(self.directory / UNIONS_FILE, self._pending_unions)
        _append_lines(self.directory / POSTS_FILE, self._pending_posts)
        self._pending_nodes, self._pending_sigs, self._pending_unions, self._pending_posts = [], [], [], []

    @classmethod
    def load(cls, config: CoordinationConfig, directory: Path) -> ClusterEngine:
        """The engine as its files left it (an empty one when there are none)."""
        engine = cls(config, directory)
        if not (directory / NODES_FILE).is_file():
            return engine
        node_lines = _read_lines(directory / NODES_FILE)
        raw = (directory / SIGS_FILE).read_bytes() if (directory / SIGS_FILE).is_file() else b""
        width = config.num_perm * 4
        n = min(len(node_lines), len(raw) // width)
        if len(node_lines) > n or len(raw) > n * width:
            # a crash between the two appends: cut both back to the nodes that are whole in both
            (directory / NODES_FILE).write_text(
                "".join(line + "\n" for line in node_lines[:n]), encoding="utf-8"
            )
            with open(directory / SIGS_FILE, "r+b") as fh:
                fh.truncate(n * width)
        sigs = np.frombuffer(raw[: n * width], dtype="<u4").reshape(n, config.num_perm).astype(np.uint32)
        for node, line in enumerate(node_lines[:n]):
            key, words, first, evidence = line.split("\t")
            engine._parent.append(node)
            if key:
                engine._node_of_text[int(key)] = node
            engine.node_words.append(int(words))
            engine.node_first_post.append(first)
            if evidence:
                engine.node_evidence[node] = frozenset(evidence.split(_SEP))
                engine._count_evidence(node, engine.node_evidence[node])
        if n:
            engine._store_signatures(list(range(n)), sigs)
            keys, owners = engine._keys(list(range(n)), sigs)
            engine.index.add(keys, owners)
        merged: dict[int, int] = {}
        for line in _read_lines(directory / UNIONS_FILE):
            a, b = (int(x) for x in line.split("\t"))
            if a < n and b < n:
                engine._union(a, b, merged)
        for line in _read_lines(directory / POSTS_FILE):
            pid, node_s, time_s, account, platform, share = line.split("\t")
            node = int(node_s)
            if node >= n or pid in engine.post_index:
                continue
            index = len(engine.post_ids)
            engine.post_index[pid] = index
            engine.post_ids.append(pid)
            engine.post_node.append(node)
            engine.post_time.append(float(time_s))
            engine.post_account.append(engine._intern(account, engine._account_ids, engine.accounts))
            engine.post_platform.append(engine._intern(platform, engine._platform_ids, engine.platforms))
            engine.post_share.append(share == "1")
            engine.members.setdefault(engine.root(node), []).append(index)
        return engine


def _append_lines(path: Path, lines: list[str]) -> None:
    if not lines:
        return
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _read_lines(path: Path) -> list[str]:
    """Complete lines of an append-only file (a torn last line, from a crash, is dropped)."""
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        text = text[: text.rfind("\n") + 1]
        path.write_text(text, encoding="utf-8")
    return text.splitlines()
