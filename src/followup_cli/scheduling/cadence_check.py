"""Checking cadence files: every problem, with its file, line and field.

``yaml.safe_load`` gives the data and ``yaml.compose`` the line of each key, so a problem
found in the data can say where it is in the file.
"""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from typing import Any

from followup_cli.core.dates import format_duration, parse_duration
from followup_cli.core.library import cadence_files, template_files
from followup_cli.core.vocab import CHANNELS, DEFAULT_STOP_ON, OUTCOMES, STAGES
from followup_cli.scheduling.cadence_model import Cadence, Repeat, Step, Then
from followup_cli.scheduling.step_conditions import with_conditions

CADENCE_KEYS = {
    "name",
    "description",
    "source",
    "stage",
    "anchor",
    "business_days",
    "send_window",
    "min_gap",
    "max_touches",
    "cold_max_touches",
    "stop_on",
    "not_now_pause",
    "on",
    "then",
    "steps",
    "repeat",
}
STEP_KEYS = {"day", "hours", "wait", "channel", "purpose", "template", "when", "otherwise"}
REPEAT_KEYS = {"every", "times", "grow", "max_every", "channel", "purpose", "template"}
THEN_KEYS = {"cadence", "after"}


# --- validation -------------------------------------------------------------------------------


def check_file(path: Path) -> tuple[list[str], Cadence | None]:
    """Every problem in a cadence file (``file:line: field: what``), and the cadence if none."""
    problems, cadence, _ = check_text(path)
    return problems, cadence


def default_window() -> str:
    """The send window of a cadence that sets none: config.toml's, or 09:00-17:00."""
    from followup_cli.core.settings import settings

    window = settings().send_window
    return f"{window[0]:%H:%M}-{window[1]:%H:%M}" if window else "09:00-17:00"


def default_business_days() -> bool:
    from followup_cli.core.settings import settings

    chosen = settings().business_days
    return True if chosen is None else chosen


def from_data(data: Any, path: Path) -> Cadence | None:
    """A cadence from data parsed (and found valid) before: no YAML needed."""
    import copy

    checker = _Checker(path, {})
    cadence = checker.cadence(copy.deepcopy(data), path.stem)
    return None if checker.problems else cadence


def check_text(path: Path) -> tuple[list[str], Cadence | None, Any]:
    """``check_file``, plus the parsed data (for the memo)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [f"{path}: cannot read the file ({error})"], None, None
    if len(text) > MAX_FILE_CHARS:
        return (
            [
                f"{path}: the file is {len(text):,} characters: a cadence is at most "
                f"{MAX_FILE_CHARS:,}"
            ],
            None,
            None,
        )
    # libyaml's parser when PyYAML has it (a tenth of the time: `stats` reads every
    # cadence in use); anything it does not take is read again by the pure-Python one,
    # whose messages are the ones we show.
    parsed = None
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            parsed = _parse(text, fast)
        except (RecursionError, yaml.YAMLError):
            parsed = None
    if parsed is None:
        try:
            parsed = _parse(text, yaml.SafeLoader)
        except RecursionError:
            return [f"{path}: nested too deeply to be a cadence"], None, None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f":{mark.line + 1}" if mark else ""
            problem = getattr(error, "problem", None) or str(error)
            return [f"{path}{line}: not valid YAML: {problem}"], None, None
    unsafe, data, lines = parsed
    if unsafe:
        return [f"{path}{unsafe}"], None, None
    checker = _Checker(path, lines)
    cadence = checker.cadence(data, path.stem)
    problems = sorted(checker.problems, key=_line_of)
    return problems, (cadence if not problems else None), data


def _parse(text: str, loader: Any) -> tuple[str | None, Any, dict[tuple[Any, ...], int]]:
    """(why the aliases are unsafe or None, the data, the line of each key) of a cadence's
    text, read with ``loader``."""
    import yaml

    node = yaml.compose(text, Loader=loader)
    unsafe = _unsafe_aliases(node)
    if unsafe:
        return unsafe, None, {}
    data = yaml.load(text, Loader=loader)  # a safe loader, C or Python
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _record_lines(node, (), lines)
    return None, data, lines


MAX_FILE_CHARS = 200_000
MAX_NODES = 20_000  # values once aliases are expanded: a cadence of 200 steps uses ~1,500
MAX_STEPS = 200
MAX_DAYS = 3650  # ten years: the furthest a step, a gap or a pause may reach


def _unsafe_aliases(root: Any) -> str | None:
    """``:LINE: why`` when the YAML's aliases refer to themselves, or expand into more
    values than a cadence can have (a "billion laughs" file): checked on the composed
    nodes, before anything is built from them."""
    import yaml

    if root is None:
        return None
    count = 0
    stack: list[tuple[Any, frozenset[int]]] = [(root, frozenset())]
    while stack:
        node, above = stack.pop()
        count += 1
        if count > MAX_NODES:
            return (
                f":{node.start_mark.line + 1}: its aliases expand to more than {MAX_NODES:,} "
                "values: write the steps out instead of nesting aliases"
            )
        if id(node) in above:
            line = node.start_mark.line + 1
            return f":{line}: a YAML alias refers to itself (an &anchor used inside itself)"
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            inside = above | {id(node)}
            children = (
                [part for pair in node.value for part in pair]
                if isinstance(node, yaml.MappingNode)
                else node.value
            )
            stack.extend((child, inside) for child in children)
    return None


def _line_of(problem: str) -> int:
    parts = problem.split(":")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def _record_lines(node: Any, at: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> None:
    import yaml

    lines[at] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*at, key.value)] = key.start_mark.line + 1
            _record_lines(value, (*at, key.value), lines)
            lines[(*at, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*at, index), lines)


class _Checker:
    """Builds a Cadence from parsed YAML, collecting every problem instead of stopping at one."""

    def __init__(self, path: Path, lines: dict[tuple[Any, ...], int]):
        self.path = path
        self.lines = lines
        self.problems: list[str] = []

    def fail(self, at: tuple[Any, ...], message: str) -> None:
        line = self.lines.get(at) or self.lines.get(at[:-1]) or 1
        where = ".".join(str(part) for part in at) or "(top)"
        self.problems.append(f"{self.path}:{line}: {where}: {message}")

    def cadence(self, data: Any, stem: str) -> Cadence | None:
        if not isinstance(data, dict):
            self.fail((), "a cadence file must be a mapping with at least `steps` or `repeat`")
            return None
        if True in data:  # YAML 1.1 reads a bare `on:` key as the boolean true
            data["on"] = data.pop(True)
        for key in data:
            if key not in CADENCE_KEYS:
                self.fail((key,), f"unknown key; valid keys are {', '.join(sorted(CADENCE_KEYS))}")
        name = data.get("name", stem)
        if name != stem:
            self.fail(("name",), f"the name {name!r} must match the file name {stem!r}")
        steps = data.get("steps") or []
        if not isinstance(steps, list):
            self.fail(("steps",), "must be a list of steps")
            steps = []
        if len(steps) > MAX_STEPS:
            self.fail(("steps",), f"{len(steps):,} steps: a cadence has at most {MAX_STEPS}")
            steps = []
        parsed_steps = [self.step(item, ("steps", index)) for index, item in enumerate(steps)]
        repeat = self.repeat(data["repeat"]) if data.get("repeat") is not None else None
        if not steps and repeat is None:
            self.fail((), "a cadence needs `steps`, `repeat`, or both")
        anchor = data.get("anchor", "start")
        if anchor not in ("start", "last_touch"):
            self.fail(("anchor",), "must be `start` or `last_touch`")
        window = self.window(data.get("send_window", default_window()))
        stop_on = self.outcomes(data.get("stop_on", list(DEFAULT_STOP_ON)), ("stop_on",))
        on_outcome = self.on_outcome(data.get("on", {}))
        then = self.then(data["then"]) if data.get("then") is not None else None
        offsets = [step.offset for step in parsed_steps if step and step.offset is not None]
        if any(later < earlier for earlier, later in zip(offsets, offsets[1:], strict=False)):
            self.fail(("steps",), "step offsets must not go backwards (day 3 after day 5)")
        stage = data.get("stage")
        if stage is not None and stage not in STAGES:
            self.fail(("stage",), f"{stage!r} is not a stage; use one of {', '.join(STAGES)}")
        if self.problems:
            return None
        return Cadence(
            name=name,
            steps=tuple(step for step in parsed_steps if step is not None),
            repeat=repeat,
            description=str(data.get("description", "")),
            source=str(data.get("source", "")),
            stage=stage,
            anchor=anchor,
            business_days=self.boolean(
                data.get("business_days", default_business_days()), ("business_days",)
            ),
            window_start=window[0],
            window_end=window[1],
            min_gap=self.duration(data.get("min_gap", "1d"), ("min_gap",)),
            max_touches=self.count(data.get("max_touches"), ("max_touches",)),
            cold_max_touches=self.count(data.get("cold_max_touches"), ("cold_max_touches",)),
            stop_on=frozenset(stop_on),
            not_now_pause=self.duration(data.get("not_now_pause", "90d"), ("not_now_pause",)),
            on_outcome=on_outcome,
            then=then,
            path=self.path,
        )

    def step(self, item: Any, at: tuple[Any, ...]) -> Step | None:
        if not isinstance(item, dict):
            self.fail(at, "a step must be a mapping like {day: 3, channel: email, purpose: ...}")
            return None
        for key in item:
            if key not in STEP_KEYS:
                self.fail((*at, key), f"unknown key; valid keys are {', '.join(sorted(STEP_KEYS))}")
        timing = [key for key in ("day", "hours", "wait") if key in item]
        if len(timing) != 1:
            self.fail(at, "give exactly one of `day`, `hours` or `wait`")
            return None
        offset = wait = None
        key = timing[0]
        if key == "wait":
            wait = self.duration(item["wait"], (*at, "wait"))
        else:
            amount = item[key]
            limit = MAX_DAYS if key == "day" else MAX_DAYS * 24
            if (
                isinstance(amount, bool)
                or not isinstance(amount, int | float)
                or not 0 <= amount <= limit
            ):
                self.fail((*at, key), f"must be a number of {key.rstrip('s')}s from 0 to {limit:,}")
                return None
            offset = timedelta(days=amount) if key == "day" else timedelta(hours=amount)
        channel = self.channel(item.get("channel"), (*at, "channel"))
        purpose = self.text(item.get("purpose"), (*at, "purpose"))
        template = self.template(item.get("template"), (*at, "template"))
        step = Step(channel, purpose, template, offset, wait, by_day=key == "day")
        return with_conditions(self, step, item, at)

    def repeat(self, item: Any) -> Repeat | None:
        at = ("repeat",)
        if not isinstance(item, dict):
            self.fail(at, "must be a mapping like {every: 30d, channel: email, purpose: ...}")
            return None
        for key in item:
            if key not in REPEAT_KEYS:
                self.fail(
                    (*at, key), f"unknown key; valid keys are {', '.join(sorted(REPEAT_KEYS))}"
                )
        if "every" not in item:
            self.fail(at, "needs `every` (for example 30d)")
            return None
        grow = item.get("grow", 1.0)
        if isinstance(grow, bool) or not isinstance(grow, int | float) or not 1 <= grow <= 10:
            self.fail(
                (*at, "grow"), "must be a number from 1 to 10 (1.5 makes each gap 50% longer)"
            )
            grow = 1.0
        max_every = item.get("max_every")
        every = self.duration(item["every"], (*at, "every"))
        if every < timedelta(days=1):
            self.fail((*at, "every"), "must be at least 1d: a repeat is a gap between touches")
        if item.get("channel") == "text":
            self.fail((*at, "channel"), "cannot be a text: texts need consent, a step's `when:`")
        return Repeat(
            every=every,
            channel=self.channel(item.get("channel"), (*at, "channel")),
            purpose=self.text(item.get("purpose"), (*at, "purpose")),
            template=self.template(item.get("template"), (*at, "template")),
            times=self.count(item.get("times"), (*at, "times"), high=1000),
            grow=float(grow),
            max_every=self.duration(max_every, (*at, "max_every")) if max_every else None,
        )

    def then(self, item: Any) -> Then | None:
        at = ("then",)
        if isinstance(item, str):
            return Then(item)
        if not isinstance(item, dict) or not isinstance(item.get("cadence"), str):
            self.fail(at, "must be a cadence name or {cadence: NAME, after: 30d}")
            return None
        for key in item:
            if key not in THEN_KEYS:
                self.fail((*at, key), "unknown key; valid keys are after, cadence")
        return Then(item["cadence"], self.duration(item.get("after", "0d"), (*at, "after")))

    def on_outcome(self, item: Any) -> dict[str, str | None]:
        if not isinstance(item, dict):
            self.fail(
                ("on",), "must map outcomes to cadence names, e.g. {won: customer-onboarding}"
            )
            return {}
        result: dict[str, str | None] = {}
        for outcome, target in item.items():
            if outcome not in OUTCOMES:
                self.fail(("on", outcome), f"unknown outcome; use one of {', '.join(OUTCOMES)}")
            elif target is not None and not isinstance(target, str):
                self.fail(("on", outcome), "must be a cadence name, or null for none")
            else:
                result[outcome] = target
        return result

    def outcomes(self, item: Any, at: tuple[Any, ...]) -> list[str]:
        if not isinstance(item, list):
            self.fail(at, "must be a list of outcomes")
            return []
        for index, outcome in enumerate(item):
            if outcome not in OUTCOMES:
                self.fail(
                    (*at, index), f"unknown outcome {outcome!r}; use one of {', '.join(OUTCOMES)}"
                )
        return [outcome for outcome in item if outcome in OUTCOMES]

    def window(self, item: Any) -> tuple[time, time]:
        try:
            start, end = (time.fromisoformat(part.strip()) for part in str(item).split("-"))
        except ValueError:
            self.fail(("send_window",), "must look like 09:00-17:00")
            return time(9, 0), time(17, 0)
        if end <= start:
            self.fail(("send_window",), "the end must come after the start")
        return start, end

    def channel(self, value: Any, at: tuple[Any, ...]) -> str:
        if value not in CHANNELS:
            self.fail(at, f"{value!r} is not a channel; use one of {', '.join(CHANNELS)}")
            return "email"
        return str(value)

    def text(self, value: Any, at: tuple[Any, ...]) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(at, "is required: say in a few words what this touch is for")
            return ""
        return value.strip()

    def template(self, value: Any, at: tuple[Any, ...]) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(at, "must be a template name")
            return None
        return value.strip()

    def duration(self, value: Any, at: tuple[Any, ...]) -> timedelta:
        try:
            return parse_duration(value)
        except ValueError as error:
            self.fail(at, str(error))
            return timedelta(days=1)

    def count(self, value: Any, at: tuple[Any, ...], high: int = 1000) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
            self.fail(at, f"must be a whole number from 1 to {high:,}")
            return None
        return value

    def boolean(self, value: Any, at: tuple[Any, ...]) -> bool:
        if not isinstance(value, bool):
            self.fail(at, "must be true or false")
            return True
        return value


def check_all(
    paths: list[Path] | None = None, warnings: list[str] | None = None
) -> tuple[list[str], int]:
    """Every problem in the given cadence files (default: all of them), including
    references to cadences and templates that do not exist; ``warnings`` collects what
    is allowed but cannot work as written (``timing_warnings``)."""
    files = cadence_files()
    targets = [Path(p) for p in paths] if paths else list(files.values())
    known_templates = set(template_files())
    problems: list[str] = []
    for path in targets:
        if not path.is_file():
            problems.append(f"{path}: no such file")
            continue
        found, cadence = check_file(path)
        problems += found
        if cadence is None:
            continue
        targets_named = [("then", cadence.then.cadence)] if cadence.then else []
        targets_named += [(f"on.{k}", v) for k, v in cadence.on_outcome.items() if v]
        for where, name in targets_named:
            if name not in files and name != cadence.name:
                problems.append(f"{path}: {where}: no cadence named {name!r}")
        cycle = _then_cycle(cadence.name, files)
        if cycle:
            problems.append(
                f"{path}: then: {' -> '.join(cycle)} comes back to itself: end the chain "
                "with a cadence that has no `then`"
            )
        if warnings is not None:
            warnings += timing_warnings(cadence, path)
        steps = list(cadence.steps) + ([cadence.repeat] if cadence.repeat else [])
        for index, step in enumerate(steps):
            where = f"steps.{index}" if index < len(cadence.steps) else "repeat"
            other = getattr(step, "otherwise", None)
            for key, name in (("", step.template), (".otherwise", other and other.template)):
                if name and known_templates and name not in known_templates:
                    problems.append(f"{path}: {where}{key}.template: no template named {name!r}")
    return problems, len(targets)


def timing_warnings(cadence: Cadence, path: Path) -> list[str]:
    """`hours:` (and `wait:`) steps that can never fall due within their hours: the step
    before them is a touch of ours, which holds the minimum gap (only an answer, such as the
    meeting that starts a cadence, holds nothing back), so the gap always pushes them later."""
    import yaml

    found = []
    for index, (before, step) in enumerate(zip(cadence.steps, cadence.steps[1:], strict=False), 1):
        if step.offset is not None and not step.by_day and before.offset is not None:
            gap, key = step.offset - before.offset, "hours"
        elif step.wait is not None:
            gap, key = step.wait, "wait"
        else:
            continue
        if gap < cadence.min_gap:
            found.append((index, key, gap))
    if not found:
        return []
    lines: dict[tuple[Any, ...], int] = {}
    _record_lines(yaml.compose(path.read_text(encoding="utf-8"), yaml.SafeLoader), (), lines)
    return [
        f"{path}:{lines.get(('steps', index, key), 1)}: steps.{index}.{key}: warning: this "
        f"step comes {format_duration(gap)} after step {index}, but min_gap keeps "
        f"{format_duration(cadence.min_gap)} between touches, so it can never fall due within "
        "its hours: shorten min_gap, or give it a `day:`"
        for index, key, gap in found
    ]


def _then_cycle(name: str, files: dict[str, Path]) -> list[str] | None:
    """The chain of ``then:`` cadences from ``name`` when it comes back to one already in it."""
    import yaml

    chain = [name]
    current = name
    while current in files and len(chain) <= len(files) + 1:
        try:
            text = files[current].read_text(encoding="utf-8")
            if len(text) > MAX_FILE_CHARS or _unsafe_aliases(yaml.compose(text, yaml.SafeLoader)):
                return None
            data = yaml.safe_load(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
            return None
        then = data.get("then") if isinstance(data, dict) else None
        following = then.get("cadence") if isinstance(then, dict) else then
        if not isinstance(following, str):
            return None
        chain.append(following)
        if following in chain[:-1]:
            return chain if following == name else None  # a loop further on is its own report
        current = following
    return None
