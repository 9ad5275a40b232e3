"""Whether each cadence step's template is written for the stage its cadence serves:
`templates check` fails on a step whose template belongs to another stage (a template's
``stages`` in its front matter, a cadence's ``stage`` in its YAML; see ``template_fit``).
"""

from __future__ import annotations

from followup_cli.core.errors import FollowupError


def stage_problems(names: list[str] | None = None) -> list[str]:
    """Every cadence step (of a cadence that names its ``stage``) whose template is written
    for other stages; with ``names``, only the steps that use one of those templates."""
    from followup_cli.drafting.templates import InvalidTemplate, TemplateNotFound, load_template
    from followup_cli.scheduling import cadence as cadences

    problems = []
    for summary in cadences.summaries():
        try:
            cadence = cadences.load_cadence(summary["name"])
        except FollowupError:  # a broken cadence is `cadences check`'s to report
            continue
        if cadence.stage is None:
            continue
        rows = [(f"step {n}", s.template) for n, s in enumerate(cadence.steps, start=1)]
        rows += [
            (f"step {n}'s otherwise", s.otherwise.template)
            for n, s in enumerate(cadence.steps, start=1)
            if s.otherwise is not None
        ]
        if cadence.repeat is not None:
            rows.append(("its repeat", cadence.repeat.template))
        for where, name in rows:
            if name is None or (names is not None and name not in names):
                continue
            try:
                template = load_template(name)
            except (InvalidTemplate, TemplateNotFound):
                continue  # `cadences check` names a missing template
            if template.stages and cadence.stage not in template.stages:
                problems.append(
                    f"{cadence.path}: {where} of {cadence.name} (a cadence for stage "
                    f"{cadence.stage}) uses {name}, which is written for "
                    f"{' or '.join(template.stages)}: pick a template for {cadence.stage}, or "
                    f"add {cadence.stage} to {name}'s stages if it reads right there"
                )
    return problems
