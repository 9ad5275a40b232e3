"""The vocabulary of the files import reads and export writes: how a header is compared
(``norm``), which headers name which prospect field (``PROSPECT_HEADERS``), and the apostrophe
that keeps a spreadsheet from running a cell as a formula (``neutralise``/``unescape``).

It imports nothing of ours, so the readers and the writers can all share it.
"""

from __future__ import annotations

import re
import unicodedata

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def norm(text: str) -> str:
    """ "E-mail 1 - Value" -> "e mail 1 value": how headers and labels are compared."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", plain.lower()))


def neutralise(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (OWASP's CSV injection advice).
    ``unescape`` is the exact inverse, so export then import gives back the same text."""
    if cell[:1] in FORMULA_STARTS or (cell[:1] == "'" and cell.lstrip("'")[:1] in FORMULA_STARTS):
        return "'" + cell
    return cell


def unescape(cell: str) -> str:
    if cell[:1] == "'" and cell.lstrip("'")[:1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def aliases(table: str) -> dict[str, tuple[str, ...]]:
    """``field: alias, alias, ...`` lines (an indented line continues the one above)."""
    found: dict[str, tuple[str, ...]] = {}
    key = ""
    for line in table.strip("\n").splitlines():
        if not line[:1].isspace():
            key, _, line = line.partition(":")
        found[key] = found.get(key, ()) + tuple(a.strip() for a in line.split(",") if a.strip())
    return found


# Headers of HubSpot, Salesforce, Pipedrive, LinkedIn and Google exports, compared ``norm``-ed;
# when a file has two columns for one field, the one listed first here wins.
PROSPECT_HEADERS = aliases("""
name: full name, contact name, person name, display name, lead name, contact, person, prospect
first_name: first name, firstname, given name, first, forename
middle_name: middle name, additional name
last_name: last name, lastname, family name, surname, last
email: email address, e mail, e mail address, e mail 1 value, email 1 value, email 1,
    person email, work email, primary email, business email
phone: phone number, mobile, mobile phone, phone 1 value, person phone, work phone, telephone
company: company name, organization, organisation, organization name, organisation name,
    organization 1 name, account, account name, person organization, associated company
title: job title, position, role, organization title, organization 1 title, person job title
stage: lifecycle stage, deal stage, pipeline stage, lead status, status, deal status
value: deal value, amount, deal amount, opportunity amount
timezone: time zone, tz
tags: tag, labels, label, group membership, groups, person labels
notes: note, description, comments, comment
linkedin: linkedin url, linkedin profile, linkedin profile url, profile url, url, person linkedin
country: country region, country code
channel: preferred channel
referred_by: referrer, referral
relationship: relationship level
birthday: birth date, date of birth
anniversary: work anniversary
personal: personal details
do_not_contact: opted out
priority:
key_points:
competitors:
decision_makers:
pace:
cadence:
cadence_status:
cadence_anchor:
steps_done:
prev_step_at:
prev_step_due:
paused_until:
created_at:
updated_at:
id:
""")
