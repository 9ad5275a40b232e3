"""`log` without --template records the template of the step the touch did, so template
stats count every touch, not only `draft --log` and `log --template`."""

from __future__ import annotations


def test_a_touch_that_does_the_step_records_its_template(run, dana):
    run.ok("log", "dana", "--channel", "email", "--outcome", "sent")
    touch = run.json("show", "dana")["touches"][0]
    assert touch["step"] == 1 and touch["template"] == "proposal-sent"


def test_a_touch_off_the_step_records_none_and_a_given_template_wins(run, dana):
    run.ok("log", "dana", "--channel", "email", "--outcome", "sent", "--template", "breakup")
    assert run.json("show", "dana")["touches"][0]["template"] == "breakup"
    # an inbound reply does no step: no template is made up for it
    run.ok("log", "dana", "--channel", "email", "--outcome", "replied")
    assert run.json("show", "dana")["touches"][0]["template"] is None
