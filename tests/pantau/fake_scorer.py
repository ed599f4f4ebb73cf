"""A tiny deterministic Scorer for process tests (a fake at the models boundary, never our own code).

It honours the ``scorer`` service contract: ``versions`` (task → model version) and
``score(posts) -> list[PostScores]``.
"""

from __future__ import annotations

import time

from pantau.errors import ModelError
from pantau.records import ClaimMatch, Post, PostScores, Prediction


class FakeScorer:
    def __init__(
        self, hoax_version: str = "hoax-1", delay_s: float = 0.0, fail_on: str | None = None
    ) -> None:
        self.versions = {
            "language": "lang-1",
            "hoax": hoax_version,
            "endorsement": "endorse-1",
            "claims": "claims-1",
        }
        self.delay_s = delay_s
        self.fail_on = fail_on
        self.calls = 0

    def score(self, posts: list[Post]) -> list[PostScores]:
        self.calls += 1
        if self.delay_s:
            time.sleep(self.delay_s)
        out = []
        for post in posts:
            if self.fail_on and self.fail_on in post.text:
                raise ModelError(f"post {post.id}: cannot score")
            text = post.text.lower()
            p_hoax = 0.9 if "hoaks" in text else 0.1
            p_paid = 0.8 if "#ad" in text else 0.05
            matches = (
                [
                    ClaimMatch(
                        post_id=post.id, factcheck_id="fc-surat", similarity=0.7, model_version="claims-1"
                    )
                ]
                if "surat suara" in text
                else []
            )
            out.append(
                PostScores(
                    post_id=post.id,
                    language="id",
                    predictions=[
                        Prediction(
                            post_id=post.id,
                            task="hoax",
                            model_version=self.versions["hoax"],
                            label="hoax" if p_hoax > 0.5 else "not_hoax",
                            score=p_hoax,
                            probabilities={"hoax": p_hoax, "not_hoax": 1 - p_hoax},
                            reasons=[{"kind": "keyword", "detail": "hoaks"}] if p_hoax > 0.5 else [],
                        ),
                        Prediction(
                            post_id=post.id,
                            task="endorsement",
                            model_version=self.versions["endorsement"],
                            label="undisclosed_paid_political" if p_paid > 0.5 else "other",
                            score=max(p_paid, 1 - p_paid),
                            probabilities={"undisclosed_paid_political": p_paid, "other": 1 - p_paid},
                        ),
                    ],
                    claim_matches=matches,
                )
            )
        return out
