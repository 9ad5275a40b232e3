"""How the header table's text becomes the alias table import matches headers against
(``columns.aliases`` and ``columns.merged``): the order decides which column wins when a file
has two that could fill one field, so it is a rule, not a detail."""

from __future__ import annotations

from followup_cli.data.columns import PROSPECT_HEADERS, aliases, merged

BLOCKS = {
    "first": """
email: email address, e mail
phone: phone, mobile?
company: organization
""",
    "second": """
phone: telefon, handy?, phone
title: position,
    funktion
""",
}


def test_aliases_reads_one_field_a_line_and_continues_indented_lines():
    assert aliases(BLOCKS["second"]) == {
        "phone": ("telefon", "handy?", "phone"),
        "title": ("position", "funktion"),
    }


def test_aliases_drops_empty_names_and_keeps_a_field_named_twice():
    assert aliases("tags: tag, , labels,\ntags: groups\n") == {"tags": ("tag", "labels", "groups")}


def test_merged_ranks_first_blocks_first_and_question_marked_names_last():
    table = merged(BLOCKS)
    # "phone" from the second block is already in: one copy, in the first block's place.
    assert table["phone"] == ("phone", "telefon", "mobile", "handy")
    assert table["email"] == ("email address", "e mail")
    assert table["title"] == ("position", "funktion")
    assert list(table) == ["email", "phone", "company", "title"]


def test_merged_gives_every_extra_field_an_entry_even_without_aliases():
    table = merged(BLOCKS, ("notes", "email"))
    assert table["notes"] == ()
    assert table["email"] == ("email address", "e mail")  # an extra field keeps its aliases


def test_a_field_with_only_weak_names_still_has_them():
    assert merged({"only": "title: title?\n"}) == {"title": ("title",)}


def test_only_the_question_mark_of_a_weak_name_goes():
    # a reader's own block may write a name in capitals: its last letters stay
    assert merged({"mine": "phone: TELEX?, Fax??\n"}) == {"phone": ("TELEX", "Fax")}


def test_the_shipped_table_puts_the_weak_mobile_after_every_phone_header():
    phones = PROSPECT_HEADERS["phone"]
    assert phones.index("mobile") > phones.index("business phone")
    assert "mobile?" not in phones
