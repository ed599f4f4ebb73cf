"""Rules applied after the endorsement classifier that read context, not text: the coordination prior.

:func:`coordination_rule` is rule 4 of :mod:`models.endorse.detector` (issue 8): a post in a coordinated
cluster with enough influencer accounts — many influencers posting one script at once — has the odds of
``undisclosed_paid_political`` multiplied by ``EndorsementConfig.coordination_prior``. The detector calls
it only for political promotion without a disclosure marker and not by an official campaign account;
this function checks the cluster and the political probability. It reads no names, so it cannot favour a
candidate. See ``docs/coordination.md`` ("The endorsement signal").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from models.endorse.config import EndorsementConfig

UNDISCLOSED, DISCLOSED = "undisclosed_paid_political", "disclosed_paid_political"
POLITICAL = (UNDISCLOSED, DISCLOSED, "organic_political")
#: one post's coordination context (``Coordinator.context``): cluster_id, accounts, influencer_accounts, …
Context = Mapping[str, Any]


def coordination_rule(
    p: dict[str, float], ctx: Context, config: EndorsementConfig
) -> tuple[dict[str, float], dict[str, Any] | None]:
    """``p`` with the odds of undisclosed raised when ``ctx`` is a coordinated cluster of at least
    ``coordination_min_influencers`` influencer accounts and ``p`` is at least
    ``coordination_min_political`` political; plus the reason (None when the rule does not apply)."""
    c = config
    influencers = int(ctx.get("influencer_accounts") or 0)
    political = sum(p[k] for k in POLITICAL)
    if (
        c.coordination_prior <= 1.0
        or not ctx.get("coordinated")
        or influencers < c.coordination_min_influencers
        or political < c.coordination_min_political
    ):
        return p, None
    before = p[UNDISCLOSED]
    p = dict(p)
    p[UNDISCLOSED] *= c.coordination_prior
    total = sum(p.values())
    p = {k: v / total for k, v in p.items()}
    accounts = int(ctx.get("accounts") or 0)
    minutes = float(ctx.get("window_minutes") or 0.0)
    return p, {
        "kind": "coordination",
        "text": f"same script as {accounts - 1} other accounts ({influencers} influencers) "
        f"within {minutes:g} minutes",
        "cluster_id": str(ctx.get("cluster_id") or ""),
        "accounts": accounts,
        "influencer_accounts": influencers,
        "window_minutes": minutes,
        "detail": f"coordinated cluster (score {float(ctx.get('coordination_score') or 0.0):.2f}): "
        f"{influencers} influencer accounts posted near-identical text; undisclosed odds × "
        f"{c.coordination_prior:g}. Coordination is not proof of payment.",
        "weight": round(p[UNDISCLOSED] - before, 4),
    }
