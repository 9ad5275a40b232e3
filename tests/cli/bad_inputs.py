"""The bad-input corpus: what a new user might type into every command, and what each must
answer (exit status and the start of the one-line message). ``test_errors`` runs every case
in-process; ``benchmarks/bad_inputs.py`` runs them as real processes with a timeout and counts
tracebacks, hangs and wrong exits (to compare two versions).

A case's arguments and files may use ``{tmp}`` (the test's directory) and ``{config}``
(the user config dir). Every case starts from the same database: Dana Reyes (in
post-proposal, id 1) and José Müller (id 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    message: str  # the one line on stderr starts with "Error: " and contains this
    exit: int = 1
    env: dict[str, str] = field(default_factory=dict)
    files: dict[str, str | bytes] = field(default_factory=dict)  # relative to {tmp}

    @property
    def id(self) -> str:
        shown = " ".join(self.args)[:60]
        extra = " ".join(f"{k}={v}" for k, v in self.env.items())
        # Printable ASCII without brackets or backslashes: mutmut runs each mutant's tests by
        # id, and pytest does not find a test again whose id holds an escape or a bracket.
        text = f"{shown} {extra}".strip()
        return "".join(ch if " " <= ch <= "}" and ch not in "[\\]" else "~" for ch in text)


BAD_UTF8 = b"bad\xff\xfe".decode("utf-8", "surrogateescape")  # how Python sees such bytes
NOT_FOUND = "No prospect matches"
CANNOT_READ = "Cannot read the date"
OUT_OF_RANGE = "is out of range: use a date between 1970 and 2199"
PAST = "is in the past: give a later date"
EMPTY_DATE = "An empty date"
NOT_UTF8 = "is not valid UTF-8 text"
LOG = ("log", "dana", "-c", "email", "-o", "sent")
LOG_NOT_NOW = ("log", "dana", "-c", "email", "-o", "not_now")

# The book every case starts from: Dana (an open deal in a cadence) and José (accents).
SEED: tuple[list[str], ...] = (
    [
        "add",
        "Dana Reyes",
        "--email",
        "dana@acme.io",
        "--company",
        "Acme",
        "--stage",
        "proposal",
        "--value",
        "24000",
        "--set",
        "pain_point=manual renewals",
        "--cadence",
        "post-proposal",
    ],
    ["add", "José Müller", "--email", "jose@example.de", "--company", "Müller GmbH"],
)

CASES: list[Case] = []


def case(*args: str, message: str, exit: int = 1, **extra) -> None:
    CASES.append(Case(tuple(args), message, exit, **extra))


# --- naming a prospect: every command that takes one --------------------------------------------

PROSPECT_COMMANDS = [
    ("show", "{}"),
    ("edit", "{}", "--company", "X"),
    ("rm", "{}", "--yes"),
    ("log", "{}", "-c", "email", "-o", "sent"),
    ("enroll", "{}", "post-demo"),
    ("stop", "{}"),
    ("pause", "{}"),
    ("snooze", "{}", "--until", "friday"),
    ("resume", "{}"),
    ("draft", "{}"),
    ("forget", "{}", "--yes"),
]
for command in PROSPECT_COMMANDS:
    for ref, message in [  # (`pause ""` is a usage error: see below)
        ("nobody", "No prospect matches 'nobody': check the spelling"),
        ("dnaa", "No prospect matches 'dnaa': did you mean #1 Dana Reyes?"),
        ("", "Name a prospect by id, email, or part of the name."),
        ("   ", "Name a prospect by id, email, or part of the name."),
        ("zed@nowhere.io", "No prospect matches 'zed@nowhere.io'"),
        ("999", "No prospect matches '999'"),
    ]:
        if command[0] == "pause" and not ref.strip():
            continue
        case(*(word.format(ref) for word in command), message=message)
    case(*(word.format(BAD_UTF8) for word in command), message=NOT_UTF8)

# --- dates: every option that takes one ---------------------------------------------------------

DATE_OPTIONS = [
    (*LOG, "--at"),
    (*LOG_NOT_NOW, "--until"),
    ("snooze", "dana", "--until"),
    ("pause", "dana", "--until"),
    ("pause", "--all", "--until"),
    ("enroll", "dana", "post-demo", "--start"),
    ("add", "Zed", "--start"),
    ("list", "--due"),
    ("stats", "--since"),
    ("review", "--week"),
    ("cadences", "show", "post-demo", "--from"),
]
for option in DATE_OPTIONS:
    for text, message in [
        ("last blue moon", f"{CANNOT_READ} 'last blue moon'"),
        ("13pm", f"{CANNOT_READ} '13pm'"),
        ("2026-02-30", f"{CANNOT_READ} '2026-02-30'"),
        ("9999999999d", f"The date '9999999999d' {OUT_OF_RANGE}"),
        ("99999y", f"The date '99999y' {OUT_OF_RANGE}"),
        ("0001-01-01", f"The date '0001-01-01' {OUT_OF_RANGE}"),
        ("", EMPTY_DATE),
    ]:
        case(*option, text, message=message)

UNTIL_OPTIONS = [option for option in DATE_OPTIONS if option[-1] == "--until"]
for option in UNTIL_OPTIONS[1:]:  # log --until is checked against the touch, below
    for text in ("yesterday", "-3d", "2020-01-01", "2 days ago"):
        case(*option, text, message=f"--until '{text}' {PAST}")
case(*LOG, "--at", "2027-01-01", message="A touch cannot be logged in the future")
case(*LOG, "--at", "tomorrow 10am", message="A touch cannot be logged in the future")
case(*LOG, "--until", "friday", message="--until goes with --outcome not_now or out_of_office.")
case(*LOG_NOT_NOW, "--until", "2020-01-01", message="--until must be after the touch")
case(*LOG_NOT_NOW, "--until", "3 days ago", message="--until must be after the touch")
for days_option in (("today", "--days"), ("calendar", "{tmp}/c.ics", "--days")):
    case(*days_option, "99999999", message="--days 99999999 is too far ahead: use at most 36500")
    case(*days_option, "-5", message="Invalid value for '--days': -5 is not in the range", exit=2)
    case(*days_option, "soon", message="Invalid value for '--days': 'soon' is not a valid", exit=2)

# --- FOLLOWUP_NOW at the ends of time, with any command ------------------------------------------

NOW_COMMANDS = [
    ("today",),
    ("list",),
    ("show", "dana"),
    ("log", "dana", "-c", "call", "-o", "voicemail"),
    ("add", "Zed"),
    ("stats",),
    ("review",),
    ("calendar", "-"),
    ("snooze", "dana", "--until", "2w"),
    ("draft", "dana"),
    ("cadences", "show", "post-demo"),
    ("enroll", "dana", "post-demo"),
]
for command in NOW_COMMANDS:
    for moment in ("9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"):
        case(
            *command,
            message=f"FOLLOWUP_NOW='{moment}' {OUT_OF_RANGE}",
            env={"FOLLOWUP_NOW": moment},
        )
    case(
        *command,
        message="FOLLOWUP_NOW='soonish' is not an ISO-8601 date-time",
        env={"FOLLOWUP_NOW": "soonish"},
    )
for command in NOW_COMMANDS[:5]:
    case(*command, message="Unknown timezone 'Mars/Olympus'", env={"FOLLOWUP_TZ": "Mars/Olympus"})

# --- numbers ------------------------------------------------------------------------------------

for command in (("add", "Zed"), ("edit", "dana")):
    for value, message in [
        ("inf", "The deal value must be a real number, not inf"),
        ("-inf", "The deal value must be a real number, not -inf"),
        ("nan", "The deal value must be a real number, not nan"),
        ("NaN", "The deal value must be a real number, not nan"),
        ("1e309", "The deal value must be a real number, not inf"),
        ("1e300", "The deal value 1e+300 is out of range"),
        ("-5", "The deal value -5 is out of range"),
        ("lots", "The deal value 'lots' is not a number"),
        ("24 000 USD", "The deal value '24 000 USD' is not a number"),
    ]:
        case(*command, "--value", value, message=message)
    for pace in ("0", "50", "nan", "inf", "-1"):
        message = "The pace must be" if pace not in ("nan", "inf") else "must be a real number"
        case(*command, "--pace", pace, message=message)
    case(*command, "--pace", "quick", message="The pace 'quick' is not a number")
for command, option, bad, message in [
    (("list",), "--limit", "0", "Invalid value for '--limit': 0 is not in the range x>=1."),
    (("list",), "--limit", "-1", "Invalid value for '--limit': -1 is not in the range"),
    (("list",), "--limit", "ten", "Invalid value for '--limit': 'ten' is not a valid int"),
    (("today",), "--limit", "0", "Invalid value for '--limit': 0 is not in the range"),
    (("work",), "--limit", "0", "Invalid value for '--limit': 0 is not in the range"),
    (("search", "dana"), "--limit", "0", "Invalid value for '--limit': 0 is not in the range"),
    (("draft", "dana"), "--value", "x", "Invalid value for '--value': 'x' is not a valid int"),
]:
    case(*command, option, bad, message=message, exit=2)

# --- words from a fixed list --------------------------------------------------------------------

for command, option, bad, message in [
    (("add", "Zed"), "--stage", "hot", "Unknown stage 'hot': use one of cold, interest"),
    (("edit", "dana"), "--stage", "hot", "Unknown stage 'hot'"),
    (("add", "Zed"), "--priority", "asap", "Unknown priority 'asap'"),
    (("add", "Zed"), "--relationship", "bff", "Unknown relationship level 'bff'"),
    (("add", "Zed"), "--channel", "pigeon", "Unknown channel 'pigeon'"),
    (("add", "Zed"), "--tz", "Mars/Olympus", "Unknown timezone 'Mars/Olympus'"),
    (("edit", "dana"), "--tz", "Europe/Atlantis", "Unknown timezone 'Europe/Atlantis'"),
    (("add", "Zed"), "--country", "XX", "Unknown country 'XX'"),
    (("add", "Zed"), "--email", "not-an-email", "'not-an-email' is not an email address"),
    (("add", "Zed"), "--email", "dana@acme.io", "dana@acme.io already belongs to #1 Dana"),
    (("edit", "jose"), "--email", "dana@acme.io", "dana@acme.io already belongs to #1 Dana"),
    (("add", "Zed"), "--birthday", "31-31", "Cannot read the date '31-31'"),
    (("add", "Zed"), "--birthday", "1985-02-30", "Cannot read the date '1985-02-30'"),
    (("add", "Zed"), "--anniversary", "someday", "Cannot read the date 'someday'"),
    (("add", "Zed"), "--cadence", "nope", "No cadence named 'nope'. Known cadences:"),
    (("today",), "--channel", "pigeon", "Unknown channel 'pigeon'"),
    (("work",), "--channel", "pigeon", "Unknown channel 'pigeon'"),
    (LOG[:2], "-c", "fax", "Unknown channel 'fax': use one of call, email"),
    (("log", "dana", "-c", "email"), "-o", "ghosted", "Unknown outcome 'ghosted'"),
    (LOG, "--direction", "sideways", "Unknown direction 'sideways'"),
    (("enroll", "dana"), "", "nope", "No cadence named 'nope'"),
    (("cadences", "show"), "", "nope", "No cadence named 'nope'"),
    (("cadences", "show", "post-demo"), "--tz", "Nowhere/City", "Unknown timezone"),
    (("cadences", "show", "post-demo"), "--country", "ZZ", "Unknown country 'ZZ'"),
    (("stats",), "--cadence", "nope", "No cadence named 'nope'"),
    (("draft", "dana"), "-t", "nope", "No template named 'nope'"),
    (("draft", "dana"), "--channel", "pigeon", "Unknown channel 'pigeon'"),
    (("templates", "show"), "", "nope", "No template named 'nope'"),
    (("export", "{tmp}/out.xml"), "--format", "xml", "xml"),
]:
    args = [*command, option, bad] if option else [*command, bad]
    case(*args, message=message)

# --- text: one line, and UTF-8 ------------------------------------------------------------------

for command in (("add", "Zed"), ("edit", "dana")):
    for option in ("--company", "--title", "--phone", "--referred-by"):
        what = option.removeprefix("--").replace("-", " ")
        case(*command, option, "Acme\r\nBcc: x@y.z", message=f"The {what} 'Acme\\r\\nBcc: x@y.z'")
    case(*command, "--set", "project=a\nb", message="The field project 'a\\nb' holds a line break")
    case(*command, "--notes", "ring \x1b[31m", message="The notes holds a control character")
    case(*command, "--set", "no equals", message="--set 'no equals' is not key=value")
    for reserved in ("prospect", "me", "value", "loop", "range"):
        case(
            *command,
            "--set",
            f"{reserved}=x",
            message=f"--set {reserved}=...: '{reserved}' is a name",
        )
    case(*command, "--notes", BAD_UTF8, message=NOT_UTF8)
    case(*command, "--company", BAD_UTF8, message=NOT_UTF8)
for name in ("Bob\nEvil", "Bob\r\nBcc: all@corp.io", "Tab\there", "Null\x00", "Line\u2028Sep"):
    case("add", name, message="The name ")
    case("edit", "dana", "--name", name, message="The name ")
case("add", BAD_UTF8, message=NOT_UTF8)
case("add", "   ", message="A prospect needs a name")
case("edit", "dana", "--name", "", message="A prospect's name cannot be empty.")
case(*LOG, "--note", BAD_UTF8, message=NOT_UTF8)
case("search", BAD_UTF8, message=NOT_UTF8)
case("list", "--search", BAD_UTF8, message=NOT_UTF8)

# --- usage: one line, exit 2 --------------------------------------------------------------------

for args, message in [
    (("show", "-1"), "No such option: -1 (see: followup show --help)"),
    (("list", "--limit", "-7"), "Invalid value for '--limit': -7 is not in the range x>=1."),
    (("today", "--days", "-1"), "Invalid value for '--days': -1 is not in the range x>=0."),
    (("log",), "Missing argument 'prospect'."),
    (("log", "dana", "-c"), "Option '-c' requires an argument."),
    (("log", "dana"), "Missing --channel: give one of call"),
    (("log", "dana", "-c", "call"), "Missing --outcome: give one of sent"),
    (("pause",), "Name one prospect, or use --all --until WHEN for everyone."),
    (("pause", ""), "Name one prospect, or use --all --until WHEN for everyone."),
    (("pause", "dana", "--all", "--until", "2w"), "Name one prospect, or use --all"),
    (("pause", "--all"), "pause --all needs --until WHEN"),
    (("snooze", "dana"), "Missing option '--until'."),
    (("enroll", "dana"), "Missing argument 'cadence'."),
    (("add",), "Missing argument 'name'."),
    (("nosuchcommand",), "No such command 'nosuchcommand'."),
    (("today", "--bogus"), "No such option: --bogus"),
    (("list", "extra"), "Got unexpected extra argument(s) (extra)"),
    (("show",), "Missing argument 'prospect'."),
    (("cadences", "nope"), "No such command 'nope'."),
    (("templates", "nope"), "No such command 'nope'."),
    (("export",), "Missing argument 'file'."),
    (("import",), "Missing argument 'file'."),
    (("calendar",), "Missing argument 'file'."),
    (("restore",), "Missing argument 'file'."),
    (("draft", "dana", "--value"), "Option '--value' requires an argument."),
    (("rm",), "Missing argument 'prospect'."),
    (("mail", "nope"), "No such command 'nope'."),
]:
    case(*args, message=message, exit=2)

# --- files in: imports ---------------------------------------------------------------------------

NESTED = "[" * 200_000 + "]" * 200_000
IMPORTS = {
    "deep.json": (NESTED, "deep.json nests lists or objects too deeply"),
    "bigid.json": ('[{"id": 18446744073709551616, "name": "Big"}]', "1 bad record"),
    "negid.json": ('[{"id": 99999999999999999999999999999999, "name": "Big"}]', "1 bad record"),
    "inf.json": ('[{"name": "Inf", "value": 1e999}]', "1 bad record"),
    "object.json": ('{"name": "x"}', "holds an object, not a list of records"),
    "empty.json": ("[]", "empty.json is an empty list: nothing to import."),
    "broken.json": ('[{"name": "x"', "broken.json is not valid JSON"),
    "numbers.json": ("[1, 2]", "a number where a record (an object) is expected"),
    "latin1.json": (b'[{"name": "Ren\xe9e"}]', "latin1.json is not JSON (it is not UTF-8 text)"),
    "newline.csv": ('name,email\n"Evil\nName",e@x.io\n', "1 bad row, nothing was imported"),
    "value.csv": ("name,value\nZed,inf\n", "1 bad row, nothing was imported"),
    "steps.csv": ("name,steps_done\nZed,99999999999999999999\n", "1 bad row"),
    "bigcell.csv": (
        "name,notes\nZed," + "x" * 10_500_000 + "\n",
        "a cell is 10,500,000 characters long",
    ),
    "quote.csv": ('name,notes\nZed,"never closed\n', "a quote opened on this row is never closed"),
}
for name, (content, message) in IMPORTS.items():
    case("import", f"{{tmp}}/{name}", message=message, files={name: content})
case("import", "{tmp}/missing.csv", message="missing.csv")
case("import", "{tmp}", message="is a directory")
case(
    "import",
    "--touches",
    "{tmp}/t.csv",
    message="1 bad row",
    files={"t.csv": "email,at,channel,outcome\ndana@acme.io,0001-01-01,email,sent\n"},
)
case(
    "import",
    "--touches",
    "{tmp}/t2.csv",
    message="1 bad row",
    files={"t2.csv": "email,at,channel,outcome\ndana@acme.io,2026-11-01,fax,sent\n"},
)
case("restore", "{tmp}/nothing.db", "--yes", message="nothing.db")
case("backup", "{tmp}/exists.db", message="exists", files={"exists.db": "x"})

# --- user cadence files that attack the parser ----------------------------------------------

LAUGHS = (
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    + "steps: *i\n"
)
STEP = "  - {day: 1, channel: email, purpose: hi}\n"
CADENCES = {
    "recursive": (
        "steps: &a\n  - {day: 1, channel: email, purpose: hi}\n  - *a\n",
        "a YAML alias refers to itself",
    ),
    "laughs": (LAUGHS, "its aliases expand to more than 20,000 values"),
    "hugeday": (
        "steps:\n  - {day: 100000000000, channel: email, purpose: hi}\n",
        "steps.0.day: must be a number of days from 0 to 3,650",
    ),
    "hugehours": (
        "steps:\n  - {hours: 1e300, channel: email, purpose: hi}\n",
        "steps.0.hours: must be a number of hours",
    ),
    "hugewait": (
        "steps:\n  - {wait: 99999999999999d, channel: email, purpose: hi}\n",
        "is too long: a duration is at most 3650d",
    ),
    "zero": (
        f"steps:\n{STEP}repeat: {{every: 0d, channel: email, purpose: again}}\n",
        "repeat.every: must be at least 1d",
    ),
    "manysteps": ("steps:\n" + STEP * 300, "300 steps: a cadence has at most 200"),
    "bigfile": ("steps:\n" + STEP * 10_000, "a cadence is at most 200,000"),
    "hugetimes": (
        f"steps:\n{STEP}repeat: {{every: 1d, times: 99999999999, channel: email, purpose: x}}\n",
        "repeat.times: must be a whole number from 1 to 1,000",
    ),
    "hugegrow": (
        f"steps:\n{STEP}repeat: {{every: 1d, grow: 1e308, channel: email, purpose: x}}\n",
        "repeat.grow: must be a number from 1 to 10",
    ),
    "hugepause": (f"steps:\n{STEP}not_now_pause: 9999999w\n", "not_now_pause"),
    "deepyaml": ("steps: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    "unknownkey": (f"steps:\n{STEP}colour: blue\n", "colour: unknown key"),
}
for name, (text, message) in CADENCES.items():
    files = {f"config/cadences/{name}.yaml": text}
    case("cadences", "check", f"{{config}}/cadences/{name}.yaml", message=message, files=files)
    case("cadences", "show", name, message=message, files=files)
    case("add", "Zed", "--cadence", name, message=message, files=files)
LOOP = {
    "config/cadences/loopa.yaml": f"steps:\n{STEP}then: loopb\n",
    "config/cadences/loopb.yaml": f"steps:\n{STEP}then: {{cadence: loopa}}\n",
}
case("cadences", "check", message="then: loopa -> loopb -> loopa comes back to itself", files=LOOP)

# --- user templates that attack the renderer ------------------------------------------------


def template(name: str, body: str) -> dict[str, str]:
    head = f"---\nname: {name}\nchannel: email\nsubject: Hi\npurpose: test\n---\n"
    return {f"config/templates/{name}.j2": head + body + "\n"}


for name, body, message in [
    (
        "loops",
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "template loops went over its budget (its loops ran more than 100,000 times)",
    ),
    ("bigstr", "{{ 'x' * 10**9 }}", "template bigstr went over its budget"),
    ("bigpow", "{{ 10 ** 100000000 }}", "template bigpow went over its budget"),
    (
        "recursive",
        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
        "template recursive calls itself without end",
    ),
    (
        "longout",
        "{% for i in range(50000) %}{{ 'abcdefghij' }}{% endfor %}",
        "template longout went over its budget (it wrote more than 100,000 characters)",
    ),
    ("internals", "{{ ''.__class__.__mro__ }}", "tried to reach Python internals"),
    ("syntax", "{% for %}", "Jinja syntax"),
]:
    case("draft", "dana", "-t", name, message=message, files=template(name, body))

# --- followup trigger (issue 18) ------------------------------------------------------------------

case("trigger", "nobody", "hired a new VP Sales", message=NOT_FOUND)
case("trigger", "dana", "", message="Say what happened, e.g. followup trigger dana")
case("trigger", "dana", "   ", message="Say what happened")
case("trigger", "dana", "x" * 201, message="The event is 201 characters: keep it under 200.")
case("trigger", "dana", "news", "--url", "acme.example", message="is not a web address")
case("trigger", "dana", "news", "--kind", "party", message="--kind must be insight or milestone.")
case("trigger", "dana", "Line\nbreak", message="the event")
case("trigger", "dana", BAD_UTF8, message=NOT_UTF8)
case("trigger", "dana", message="Missing argument 'event'.", exit=2)
