"""The follow-up rules: for each, messages that must pass and messages that must fail."""

from __future__ import annotations

import pytest

from followup_cli.drafting.checks import (
    MAX_SENTENCES,
    RULES,
    Finding,
    calls_to_action,
    check_message,
)
from followup_cli.drafting.message_text import count_sentences, split_sentences

SIGN_OFF = "\n\nBest,\nSam Ortiz\nAccount Executive, Northwind\n+1 555 0100"


def email(*lines: str, greeting: str = "Hi Dana,") -> str:
    return greeting + "\n\n" + "\n".join(lines) + SIGN_OFF


def codes(body: str, **kwargs: object) -> list[str]:
    return [finding.code for finding in check_message(body, **kwargs)]  # type: ignore[arg-type]


# --- zero-value phrases ------------------------------------------------------------------

ZERO_VALUE_FAILS = [
    "Just checking in on this.",
    "just checking in!",
    "Just... checking-in to see where things stand.",
    "I'm JUST   CHECKING\nIN.",
    "Checking in to see if you had a chance to read it.",
    "I wanted to check in.",
    "I'm checking in with you.",
    "Wanted to touch base about next steps.",
    "Touching base on the proposal.",
    "A quick touchbase on the proposal.",
    "Let's touch-base next week.",
    "I want to stay on your radar.",
    "Hoping to keep me on your radar for Q3.",
    "Circling back on the proposal.",
    "I'll circle back next week.",
    "Just following up on the proposal.",
    "Just wanted to follow up.",
    "Just a quick follow-up on my note.",
    "Following up on my last email about pricing.",
    "Bumping this to the top of your inbox.",
]
ZERO_VALUE_PASSES = [
    # Decided: a concrete object makes a check-in a real question, not filler.
    "Checking in on the integration: the sandbox is ready for your team.",
    "I'm checking in on the Acme rollout because the new importer shipped today.",
    "Let's book a check-in call for Thursday.",
    "Our follow-up plan for the rollout is attached.",
    "I'm following up on your question about SSO: it works with Okta.",
    "Is compliance on your radar this quarter?",
    "The baseline from last month is in the attached sheet.",
]


@pytest.mark.parametrize("sentence", ZERO_VALUE_FAILS)
def test_zero_value_phrases_fail(sentence: str) -> None:
    assert codes(email(sentence)) == ["zero-value-phrase"]


@pytest.mark.parametrize("sentence", ZERO_VALUE_PASSES)
def test_useful_follow_ups_pass_the_zero_value_rule(sentence: str) -> None:
    assert codes(email(sentence)) == []


def test_zero_value_phrase_in_the_subject_is_caught() -> None:
    body = email("The SSO guide you asked for is attached.")
    assert codes(body, subject="Just touching base about SSO") == ["zero-value-phrase"]


def test_zero_value_finding_names_the_phrase() -> None:
    [finding] = check_message(email("Just checking in!"))
    assert '"just checking in"' in finding.message


# --- guilt trips -------------------------------------------------------------------------

GUILT_FAILS = [
    "You said you would get back to me by Friday.",
    "You said you'd get back to me last week.",
    "You told me you’d let me know by Monday.",
    "As per my last email, the price holds until June.",
    "Per my previous email, the pilot starts in May.",
    "I haven't heard back from you since the demo.",
    "I still haven't heard back about the proposal.",
    "We have not heard back from you.",
    "As I mentioned before, the pilot is free.",
    "As I said earlier, the pilot is free.",
    "You haven't responded to my proposal.",
    "Did you get my last email about pricing?",
]
GUILT_PASSES = [
    "You said you'd like to cut close time in half, so here is how Globex did it.",
    "We haven't heard back from legal yet, so the contract is still with them.",
    "As I mentioned on our call, the pilot is free for 30 days.",
    "Per our conversation, the pilot is free for 30 days.",
    "I hope you've heard good things about the new release.",
]


@pytest.mark.parametrize("sentence", GUILT_FAILS)
def test_guilt_trips_fail(sentence: str) -> None:
    assert codes(email(sentence)) == ["guilt-trip"]


@pytest.mark.parametrize("sentence", GUILT_PASSES)
def test_neutral_references_pass_the_guilt_rule(sentence: str) -> None:
    assert codes(email(sentence)) == []


# --- sentence count ----------------------------------------------------------------------

FIVE = [
    "The SSO guide you asked for is attached.",
    "It covers Okta and Azure AD.",
    "Setup takes about an hour.",
    "Your IT team can run it without us.",
    "Does Tuesday 10:00 work for a walkthrough?",
]


def test_five_sentences_pass() -> None:
    assert count_sentences(email(*FIVE)) == 5
    assert codes(email(*FIVE)) == []


@pytest.mark.parametrize(
    "extra",
    [
        "We also shipped bulk matching.",
        "Wow!",
        "Another point without a full stop",
    ],
)
def test_six_sentences_fail(extra: str) -> None:
    body = email(*FIVE[:4], extra, FIVE[4])
    assert count_sentences(body) == 6
    assert codes(body) == ["too-many-sentences"]


def test_six_sentences_on_one_line_fail() -> None:
    body = email("One. Two. Three. Four. Five. Six.")
    assert codes(body) == ["too-many-sentences"]


def test_sentence_limit_is_for_follow_up_emails_only() -> None:
    body = email(*FIVE, "One more thing.")
    assert codes(body, is_follow_up=False) == []
    assert codes(body, channel="linkedin") == []
    assert codes(body, channel="mail") == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Greeting and sign-off are not sentences.
        ("Hi Dana,\n\nOne.\n\nBest,\nSam", 1),
        ("Dana,\n\nOne. Two.\n\nThanks,\nSam", 2),
        ("Hello Dana Reyes,\nOne.\n\nCheers, Sam", 1),
        ("Hi Dana,\n\nOne.\n\n--\nSam Ortiz\nNorthwind. Since 1999.", 1),
        # A signature without a closing: short unpunctuated lines at the end.
        ("Hi Dana,\n\nOne. Two.\n\nSam Ortiz\nNorthwind", 2),
        # "Thanks for..." as prose is a sentence, not a sign-off.
        ("Hi Dana,\n\nOne.\nThanks for the call.\n\nBest,\nSam", 2),
        # P.S. does not count (a secondary message, as the seeds recommend).
        ("Hi Dana,\n\nOne.\n\nBest,\nSam\n\nP.S. Two. Three.", 1),
        ("Hi Dana,\n\nOne.\n\nPS: Two.\n\nBest,\nSam", 1),
        # Wrapped lines of one paragraph are joined before counting.
        ("Hi Dana,\n\nThis sentence is wrapped\nover two lines. Two.\n\nBest,\nSam", 2),
        # Abbreviations, times, decimals and links do not end sentences.
        ("Hi,\n\nMeet at 4 p.m. or 9 a.m. on Friday. Dr. Lee saw a 3.5% gain, e.g. in AP.", 2),
        ("Hi,\n\nSee https://acme.example/report.pdf today. J. Smith agreed.", 2),
        # A line holding only a link is not a sentence.
        ("Hi,\n\nOne.\nhttps://northwind.example/guide\n\nBest,\nSam", 1),
        # A list of up to three items counts as one sentence...
        ("Hi,\n\nHere is the plan:\n- a\n- b\n- c\nTwo.\n\nBest,\nSam", 3),
        ("Hi,\n\nOptions:\n1. first\n2) second\n\nBest,\nSam", 2),
        # ...each item beyond the third adds one, and so does each extra sentence in an item.
        ("Hi,\n\n- a\n- b\n- c\n- d\n- e\n\nBest,\nSam", 3),
        ("Hi,\n\n* One. Two.\n* three\n\nBest,\nSam", 2),
        # Indented continuation lines belong to the item above.
        ("Hi,\n\n- a first item that\n  goes on here\n- b\n\nBest,\nSam", 1),
    ],
)
def test_sentence_counting(body: str, expected: int) -> None:
    assert count_sentences(body) == expected


def test_split_sentences_keeps_abbreviations_together() -> None:
    assert split_sentences("Call at 4 p.m. or later. Thanks! Is Friday ok? Yes") == [
        "Call at 4 p.m. or later.",
        "Thanks!",
        "Is Friday ok?",
        "Yes",
    ]


# --- calls to action ---------------------------------------------------------------------

ONE_CTA = [
    "Would you be open to a call on Tuesday?",
    "Can we talk Tuesday, or would Wednesday suit you better?",
    "Let me know what works.",
    "Reply with a time that suits you.",
    "Book a slot here: https://cal.example/sam",
    "Does Tuesday 10:00 or Wednesday 14:00 your time work?",
    "15 minutes this week?",
    "Should I close your file?",
    "Dana, would it make sense to bring in your CFO?",
    "If it helps, let me know and I will send the template.",
    # Open questions are conversation, not asks: one ask in total here.
    "How did the marathon go? Give me a call so we can discuss the new idea.",
    "The slides are attached.\n\nP.S. Still good for our call on Thursday at 2pm?",
    # Questions inside a list are content (a call script, questions to consider).
    "Two questions:\n1. Who signs off?\n2. Can we start in May?\n\nCould we take 15 minutes?",
]
TWO_CTAS = [
    "Would you be open to a call? Let me know.",
    "Can we meet on Tuesday?\n\nCould you also send me the invoice sample?",
    "Reply with a time. Book here if easier.",
    "Does Tuesday work?\n\nP.S. Would you forward this to Priya?",
    "Let me know what you think. Also, are you free on Friday?",
    "If it's the timing, let me know a better month. Should I close your file?",
    "Give me a call back. Would it help to loop in Priya?",
    "Do you know anyone at Initech? Feel free to forward this note.",
]


@pytest.mark.parametrize("text", ONE_CTA)
def test_one_call_to_action_passes(text: str) -> None:
    body = email("Acme's rollout is the reason I'm writing.", text)
    assert len(calls_to_action(body)) == 1, calls_to_action(body)
    assert codes(body) == []


def test_the_calls_to_action_are_quoted_each_cut_to_forty_characters() -> None:
    body = email(
        "Could we set up a call this Thursday to walk through the pricing? "  # 65 characters
        "Would you have twenty minutes on Monday for a demo? "  # 51
        "Can you send me the signed contract now?"  # 40: shown whole
    )
    (finding,) = [f for f in check_message(body) if f.code == "multiple-calls-to-action"]
    assert finding.message.startswith(
        '3 calls to action ("Could we set up a call this Thursday...", '
        '"Would you have twenty minutes on Mond...", '
        '"Can you send me the signed contract now?"): keep the one next step'
    )


@pytest.mark.parametrize("text", TWO_CTAS)
def test_two_calls_to_action_fail(text: str) -> None:
    body = email(text)
    assert codes(body, is_follow_up=False) == ["multiple-calls-to-action"]


@pytest.mark.parametrize(
    "text",
    [
        "The benchmark report is attached.",
        "How is the rollout going?",
        "No need to call back unless you want to talk it over.",
        "What would be most valuable to you right now?",
        "It took them 3 weeks to go live.",
    ],
)
def test_no_call_to_action_is_not_counted(text: str) -> None:
    assert calls_to_action(email(text)) == []


def test_calls_to_action_apply_to_every_channel() -> None:
    script = "Hi Dana, it's Sam. Call me back at 555 0100. Would Tuesday work?"
    assert codes(script, channel="voicemail") == ["multiple-calls-to-action"]
    assert codes(script, channel="linkedin") == ["multiple-calls-to-action"]


# --- specifics ---------------------------------------------------------------------------

SPECIFICS = ["Acme", "manual invoice matching", "the Q3 warehouse rollout", "Globex"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Here is how teams like Acme cut close time.",
        "I found a guide on MANUAL invoice   matching.",
        "How is the Q3 warehouse rollout going?",
        "Here is how Globex compares.",
        "The report is attached.\n\nP.S. It has a chapter on manual invoice matching.",
    ],
)
def test_a_message_about_the_prospect_passes(sentence: str) -> None:
    assert codes(email(sentence), specifics=SPECIFICS) == []


@pytest.mark.parametrize(
    ("body", "specifics"),
    [
        (email("I hope the week is going well. Here is our latest report."), SPECIFICS),
        # A greeting or a signature that mentions the company is not personalisation.
        (email("Here is our latest report.", greeting="Hi Acme team,"), SPECIFICS),
        ("Hi Dana,\n\nHere is our report.\n\nBest,\nSam\nAcme partner team", SPECIFICS),
        # Whole words only: "Acme" is not in "Acmeville".
        (email("We just opened an office in Acmeville."), ["Acme"]),
        # Too short to judge: a two-letter value never counts as a match.
        (email("Our AI report is out."), ["AI"]),
    ],
)
def test_a_generic_message_fails(body: str, specifics: list[str]) -> None:
    assert codes(body, specifics=specifics) == ["no-specifics"]


def test_no_specifics_rule_is_skipped_when_nothing_is_known() -> None:
    body = email("Here is our latest report.")
    assert codes(body) == []
    assert codes(body, specifics=["", "  "]) == []


# --- placeholders ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "I saw the news about [their company].",
        "Best of luck with [their goal].",
        "[Your Name] here.",
        "Hi {{ prospect.first_name }}.",
        "{% if value %}A resource.",
        "Thanks {first_name}, the guide is attached.",
        "Dear <NAME>, the guide is attached.",
        "The guide is attached. TODO add link.",
        "The price is XXX per seat.",
        "Your renewal date is ______.",
    ],
)
def test_leftover_placeholders_fail(sentence: str) -> None:
    assert codes(email(sentence)) == ["leftover-placeholder"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The guide is here: [the SSO guide](https://northwind.example/sso).",
        "See footnote [1] in the report.",
        "Write to me at <sam@northwind.example>.",
        "The guide is at <https://northwind.example/sso>.",
        "Our to-do list for the rollout is attached.",
        "A 2 < 3 comparison is in section two.",
    ],
)
def test_real_text_is_not_a_placeholder(sentence: str) -> None:
    assert codes(email(sentence)) == []


def test_a_placeholder_in_the_subject_is_caught() -> None:
    body = email("The SSO guide is attached.")
    assert codes(body, subject="The SSO guide for [Company]") == ["leftover-placeholder"]


# --- voicemail and video length ----------------------------------------------------------


def words(n: int) -> str:
    return " ".join(["word"] * (n - 1)) + " end."


def test_voicemail_of_75_words_passes() -> None:
    assert codes(words(75), channel="voicemail") == []


@pytest.mark.parametrize("n", [76, 120])
def test_voicemail_over_30_seconds_fails(n: int) -> None:
    assert codes(words(n), channel="voicemail") == ["voicemail-too-long"]


def test_voicemail_words_count_contractions_once() -> None:
    script = " ".join(["it's"] * 75)
    assert codes(script, channel="voicemail") == []


def test_video_of_300_words_passes() -> None:
    assert codes(words(300), channel="video") == []


@pytest.mark.parametrize("n", [301, 500])
def test_video_over_two_minutes_fails(n: int) -> None:
    assert codes(words(n), channel="video") == ["video-too-long"]


def test_length_limits_are_per_channel() -> None:
    assert codes(words(200), channel="linkedin") == []
    assert codes(words(200), channel="video") == []
    assert codes(words(200), channel="voicemail") == ["voicemail-too-long"]


# --- subject lines -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "",
        "   ",
        "Follow up",
        "Follow-up",
        "FOLLOWING UP!",
        "Re: Following up",
        "Checking in",
        "Quick question",
        "quick question?",
        "Touching base",
        "Hi",
        "Hello!",
        "(no subject)",
        "Fwd: Hi",
    ],
)
def test_generic_subjects_fail(subject: str) -> None:
    body = email("The SSO guide for the rollout is attached.")
    found = codes(body, subject=subject)
    assert "generic-subject" in found
    assert set(found) <= {"generic-subject", "zero-value-phrase"}


@pytest.mark.parametrize(
    "subject",
    [
        "Quick question about the Q3 rollout",
        "Following up on your SSO question: it works with Okta",
        "Should I close your file?",
        "Hi from the Northwind team: your SSO guide",
        "Re: Recap of our meeting on invoice matching",
    ],
)
def test_specific_subjects_pass(subject: str) -> None:
    body = email("The SSO guide for the rollout is attached.")
    assert codes(body, subject=subject) == []


def test_subject_is_only_judged_for_email_when_given() -> None:
    body = email("The SSO guide for the rollout is attached.")
    assert codes(body, subject=None) == []
    assert codes(body, channel="linkedin", subject="Hi") == []


# --- the whole -----------------------------------------------------------------------------


def test_a_good_follow_up_passes_every_rule() -> None:
    body = (
        "Hi Dana,\n\n"
        "I came across a benchmark on manual invoice matching and thought of Acme.\n"
        "https://northwind.example/ap-benchmark\n\n"
        "The section on supplier exceptions lines up with what you described.\n"
        "Would Tuesday 10:00 or Wednesday 14:00 your time suit a short call?\n\n"
        "Best,\nSam Ortiz\nNorthwind\n\n"
        "P.S. The Q3 warehouse rollout checklist is in there too."
    )
    assert check_message(body, subject="Benchmark on invoice matching", specifics=SPECIFICS) == []


def test_a_bad_follow_up_reports_every_broken_rule_once_in_rules_order() -> None:
    body = (
        "Hi [Name],\n\n"
        "Just checking in. I haven't heard back from you. Just checking in again.\n"
        "One. Two. Three. Four.\n"
        "Can we talk? Let me know.\n\n"
        "Best,\nSam"
    )
    findings = check_message(body, subject="Follow up", specifics=SPECIFICS)
    assert [f.code for f in findings] == [
        "zero-value-phrase",
        "guilt-trip",
        "too-many-sentences",
        "multiple-calls-to-action",
        "no-specifics",
        "leftover-placeholder",
        "generic-subject",
    ]
    assert all(f.code in RULES for f in findings)
    assert all(f.message and "\n" not in f.message for f in findings)


def test_every_rule_is_documented_in_one_line() -> None:
    assert set(RULES) == {
        "zero-value-phrase",
        "guilt-trip",
        "too-many-sentences",
        "multiple-calls-to-action",
        "no-specifics",
        "leftover-placeholder",
        "voicemail-too-long",
        "video-too-long",
        "generic-subject",
    }
    assert all(text and "\n" not in text for text in RULES.values())
    assert MAX_SENTENCES == 5


def test_finding_is_a_frozen_value() -> None:
    finding = Finding("guilt-trip", "message")
    assert finding == Finding("guilt-trip", "message")
    with pytest.raises(AttributeError):
        finding.code = "other"  # type: ignore[misc]
