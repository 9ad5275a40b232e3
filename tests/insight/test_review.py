"""`followup review`: the week against the week before, who slipped, what is next.

Now is Mon 2026-11-23 15:00 UTC (08:00 Denver). By default "this week" is the 7 days up to
now, [2026-11-16T15:00Z, now), and the week before the 7 days before that.

prospect  stage     value   next due         touches (outbound unless "in")
Nia       proposal  60,000  4 days ago       1d in replied, 2d email + 2d email bounced,
                                             8d email, 9d call no_answer, 20d email
Oli       active    40,000  tomorrow         3d call meeting, 7d (exactly) email
Pam       interest  30,000  —                —
Quinn     proposal  20,000  2 days ago       13d call meeting
Rae       active    10,000  10 days ago      — (do not contact)
Sam       active     5,000  in 2 days        6d23h linkedin, 10d in replied
Tia       cold           —  —                7d1h email
Uma       proposal       —  —                —
Vic       customer  90,000  5 days ago       6d in won
Wes       lost      15,000  —                4d call lost
"""

from __future__ import annotations

import pytest
from test_stats import History, ago


@pytest.fixture
def week():
    h = History()

    def person(name, stage, value=None, due=None, **more):
        return h.prospect(
            name,
            stage=stage,
            value=value,
            next_due_at=due,
            next_channel="call" if due else None,
            next_purpose=f"Follow up with {name.split()[0]}" if due else None,
            **more,
        )

    nia = person("Nia North", "proposal", 60000, ago(4))
    h.touch(nia, ago(20), "email", "sent")
    h.touch(nia, ago(9), "call", "no_answer")
    h.touch(nia, ago(8), "email", "sent")
    h.touch(nia, ago(2), "email", "sent")
    h.touch(nia, ago(2), "email", "bounced")
    h.touch(nia, ago(1), "email", "replied", direction="in")
    oli = person("Oli Oak", "active", 40000, ago(-1))
    h.touch(oli, ago(7), "email", "sent")
    h.touch(oli, ago(3), "call", "meeting")
    person("Pam Pine", "interest", 30000, next_why="post-demo finished: plan the next step")
    quinn = person("Quinn Quay", "proposal", 20000, ago(2))
    h.touch(quinn, ago(13), "call", "meeting")
    person("Rae Reed", "active", 10000, ago(10), do_not_contact=1)
    sam = person("Sam Sage", "active", 5000, ago(-2))
    h.touch(sam, ago(10), "email", "replied", direction="in")
    h.touch(sam, ago(6, 23), "linkedin", "sent")
    tia = person("Tia Teal", "cold")
    h.touch(tia, ago(7, 1), "email", "sent")
    person("Uma Underhill", "proposal")
    vic = person("Vic Vale", "customer", 90000, ago(5))
    h.touch(vic, ago(6), "email", "won", direction="in")
    wes = person("Wes West", "lost", 15000)
    h.touch(wes, ago(4), "call", "lost")
    h.close()


def counts(section):
    keys = ("touches", "replies", "meetings", "won", "won_value", "lost", "lost_value")
    return tuple(section[key] for key in keys)


def test_the_last_seven_days_against_the_seven_before(run, week):
    review = run.json("review")
    assert review["this_week"]["since"] == "2026-11-16T15:00:00Z"
    assert review["this_week"]["until"] == "2026-11-23T15:00:00Z"
    assert review["last_week"]["since"] == "2026-11-09T15:00:00Z"
    assert review["calendar_week"] is False
    # Outbound (the bounce left out): Nia 2d, Oli 3d and 7d, Sam, Wes. Replies: Nia's,
    # Oli's meeting, Vic's win, Wes's loss.
    assert counts(review["this_week"]) == (5, 4, 1, 1, 90000, 1, 15000)
    # Nia 8d and 9d, Quinn, Tia (7d1h: just before the week). Replies: Sam, Quinn.
    assert counts(review["last_week"]) == (4, 2, 1, 0, 0, 0, 0)


def test_a_calendar_week(run, week):
    review = run.json("review", "--week", "2026-11-16")
    assert review["calendar_week"] is True
    # Monday 00:00 Denver to the next Monday 00:00, which is before now.
    assert review["this_week"]["since"] == "2026-11-16T07:00:00Z"
    assert review["this_week"]["until"] == "2026-11-23T07:00:00Z"
    assert review["last_week"]["since"] == "2026-11-09T07:00:00Z"
    assert review["last_week"]["until"] == "2026-11-16T07:00:00Z"
    assert counts(review["this_week"]) == (6, 4, 1, 1, 90000, 1, 15000)  # Tia's too
    assert counts(review["last_week"]) == (3, 2, 1, 0, 0, 0, 0)
    same = run.json("review", "--week", "monday")  # last Monday: the same week
    assert same["this_week"] == review["this_week"]


def test_who_slipped_what_is_unscheduled_and_the_biggest_deals(run, week):
    review = run.json("review")
    slipped = review["slipped"]
    assert slipped["count"] == 2  # Rae is overdue too, but asked not to be contacted
    assert [(p["name"], p["overdue_days"]) for p in slipped["prospects"]] == [
        ("Vic Vale", 5),
        ("Nia North", 4),
    ]
    assert slipped["prospects"][1]["next_channel"] == "call"
    unscheduled = review["no_next_step"]
    assert unscheduled["count"] == 2
    assert [p["name"] for p in unscheduled["prospects"]] == ["Pam Pine", "Uma Underhill"]
    assert unscheduled["prospects"][0]["next_why"] == "post-demo finished: plan the next step"
    assert [(p["name"], p["value"], p["next_due_at"]) for p in review["top_deals"]] == [
        ("Nia North", 60000, ago(4)),
        ("Oli Oak", 40000, ago(-1)),
        ("Pam Pine", 30000, None),
        ("Quinn Quay", 20000, ago(2)),
        ("Sam Sage", 5000, ago(-2)),
    ]
    assert review["due_next_7_days"] == 2  # Oli, Sam


def test_the_review_in_the_terminal(run, week):
    out = run.ok("review").output
    assert "Weekly review" in out
    touches = next(line for line in out.splitlines() if "Outbound touches" in line)
    assert [cell for cell in touches.split() if cell != "│"][-3:] == ["5", "4", "+1"]
    assert "Slipping: 2 overdue by more than 3 days" in out
    assert "Vic Vale" in out and "5d" in out
    assert "Open deals with nothing scheduled: 2" in out
    assert "The five biggest open deals and their next step" in out
    top = out[out.index("The five biggest open deals") :]
    pam = next(line for line in top.splitlines() if "Pam Pine" in line)
    assert "30,000" in pam and "nothing scheduled" in pam
    nia = next(line for line in top.splitlines() if "Nia North" in line)
    assert "call Thu 19 Nov — Follow up with Nia · 4d overdue" in nia
    assert "Due in the next 7 days: 2" in out


def test_an_empty_database(run):
    review = run.json("review")
    assert counts(review["this_week"]) == (0, 0, 0, 0, 0, 0, 0)
    assert review["slipped"] == {"count": 0, "prospects": []}
    assert review["top_deals"] == []
    out = run.ok("review").output
    assert "Nobody is overdue by more than 3 days." in out


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("someday", "Error: Cannot read the date 'someday'"),
        ("2027-01-04", "Error: --week must not be in the future"),
    ],
)
def test_a_bad_week(run, week, message):
    result = run("review", "--week", week)
    assert result.exit_code == 1, result.output
    assert result.output.startswith(message)
