"""Does a template fit the step that uses it: the stages a template is written for
(front matter ``stages``), checked against the stage each cadence serves (its ``stage``),
and the order its variants go out in (``order: sequence``, seed 003's emails #1, #2, #3).

A proposal-review script at a customer's day-3 call, or a "first few days" check-in at
day 63, reads wrong to the person who gets it; `templates check` says so (``stage_fit``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from followup_cli.core.vocab import STAGES

KEYS = ("stages", "order")
ORDERS = ("balance", "sequence")


def front_matter(
    data: dict[str, Any], fail: Callable[[str, str], None]
) -> tuple[tuple[str, ...], str]:
    """The ``stages`` and ``order`` of a template's front matter, each problem to ``fail``."""
    stages = data.get("stages", [])
    if isinstance(stages, str):
        stages = [stages]
    if not isinstance(stages, list) or not all(isinstance(s, str) for s in stages):
        fail("stages", f"must be a list of stages, e.g. [customer]; stages are {', '.join(STAGES)}")
        stages = []
    for stage in stages:
        if stage not in STAGES:
            fail("stages", f"{stage!r} is not a stage; use one of {', '.join(STAGES)}")
    order = data.get("order", "balance")
    if order not in ORDERS:
        fail(
            "order",
            "must be sequence (variants a, b, c in turn for each prospect) or balance "
            "(the variant sent least often; the default)",
        )
        order = "balance"
    return tuple(stages), str(order)
