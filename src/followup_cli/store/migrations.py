"""The schema, as an ordered list of migrations run through sqlite-utils' ``Migrations``.

A released migration is never edited; add a new one at the end instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from followup_cli.store.consent_schema import _m018_texts_ok
from followup_cli.store.search_schema import _m003_search, _m011_search_every_field

MIGRATION_SET = "followup"


# --- migrations: a released migration is never edited; add a new one instead ----------------


def _m001_prospects_and_touches(db: Any) -> None:
    for sql in (
        """CREATE TABLE prospects (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT,
            phone TEXT,
            company TEXT,
            title TEXT,
            timezone TEXT,
            country TEXT,
            channel TEXT,
            stage TEXT NOT NULL DEFAULT 'cold',
            value REAL,
            priority INTEGER NOT NULL DEFAULT 2,
            tags TEXT NOT NULL DEFAULT '[]',
            referred_by TEXT,
            relationship TEXT,
            birthday TEXT,
            anniversary TEXT,
            linkedin TEXT,
            key_points TEXT,
            competitors TEXT,
            decision_makers TEXT,
            personal TEXT,
            notes TEXT,
            fields TEXT NOT NULL DEFAULT '{}',
            do_not_contact INTEGER NOT NULL DEFAULT 0,
            pace REAL NOT NULL DEFAULT 1.0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            cadence TEXT,
            cadence_status TEXT,
            cadence_anchor TEXT,
            steps_done INTEGER NOT NULL DEFAULT 0,
            prev_step_at TEXT,
            prev_step_due TEXT,
            paused_until TEXT,
            answered INTEGER NOT NULL DEFAULT 0,
            last_touch_at TEXT,
            last_touch_channel TEXT,
            last_touch_outcome TEXT,
            next_due_at TEXT,
            next_step INTEGER,
            next_steps_total INTEGER,
            next_channel TEXT,
            next_purpose TEXT,
            next_template TEXT,
            next_why TEXT
        )""",
        "CREATE INDEX idx_prospects_next_due ON prospects(next_due_at)",
        "CREATE INDEX idx_prospects_stage ON prospects(stage)",
        "CREATE INDEX idx_prospects_cadence ON prospects(cadence)",
        "CREATE UNIQUE INDEX idx_prospects_email ON prospects(email) WHERE email IS NOT NULL",
        "CREATE INDEX idx_prospects_birthday ON prospects(substr(birthday, -5))",
        "CREATE INDEX idx_prospects_anniversary ON prospects(substr(anniversary, -5))",
        """CREATE TABLE touches (
            id INTEGER PRIMARY KEY,
            prospect_id INTEGER NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            channel TEXT NOT NULL,
            direction TEXT NOT NULL DEFAULT 'out',
            outcome TEXT NOT NULL,
            note TEXT,
            template TEXT,
            variant TEXT,
            value_id INTEGER,
            cadence TEXT,
            step INTEGER,
            logged_at TEXT NOT NULL,
            state_before TEXT
        )""",
        "CREATE INDEX idx_touches_prospect ON touches(prospect_id, at)",
        "CREATE INDEX idx_touches_at ON touches(at)",
        """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)""",
    ):
        db.execute(sql)


def _m002_value_bank(db: Any) -> None:
    db.execute(
        """CREATE TABLE value_items (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            url TEXT,
            kind TEXT NOT NULL DEFAULT 'article',
            tags TEXT NOT NULL DEFAULT '[]',
            note TEXT,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_touches_value ON touches(value_id)")


def _m004_agenda_indexes(db: Any) -> None:
    # `today` reads who is due from this index alone (no table rows for the scoring pass).
    db.execute(
        "CREATE INDEX idx_prospects_due_contactable ON prospects("
        "next_due_at, next_channel, priority, stage, value) "
        "WHERE do_not_contact = 0 AND next_due_at IS NOT NULL"
    )
    # Open deals with no next step, biggest first; the stages match vocab.ACTIVE_STAGES.
    db.execute(
        "CREATE INDEX idx_prospects_open_no_next ON prospects(value DESC, name) "
        "WHERE next_due_at IS NULL AND do_not_contact = 0 "
        "AND stage IN ('interest', 'active', 'proposal')"
    )


def _m005_touch_numbers(db: Any) -> None:
    # What `followup stats` used to recompute from each touch's whole history on every run
    # (window functions over every touch in the window: seconds at a million touches), kept
    # on the outbound touches instead, by touch.renumber on every write; bounced touches
    # and replies that came in keep NULLs. See touch.py for the definitions.
    for sql in (
        "ALTER TABLE touches ADD COLUMN touch_number INTEGER",
        "ALTER TABLE touches ADD COLUMN next_at TEXT",
        "ALTER TABLE touches ADD COLUMN replied_at TEXT",
        # Renumbering updates touch rows: re-index the note only when the note changes.
        'DROP TRIGGER "touches_au"',
        """CREATE TRIGGER "touches_au" AFTER UPDATE OF "note" ON "touches" BEGIN
  INSERT INTO "touches_fts" ("touches_fts", rowid, "note") VALUES('delete', old.rowid, old."note");
  INSERT INTO "touches_fts" (rowid, "note") VALUES (new.rowid, new."note");
END""",
        # A prospect's history in order from the index alone, for renumbering and for the
        # deals of `stats` (the same name as before, with more columns).
        "DROP INDEX idx_touches_prospect",
        "CREATE INDEX idx_touches_prospect ON touches(prospect_id, at, id, direction, outcome)",
        # The wins in a window (few) without reading every touch in it.
        "CREATE INDEX idx_touches_won ON touches(at) WHERE outcome = 'won'",
        # Who is active in each cadence, from the index alone.
        "DROP INDEX idx_prospects_cadence",
        "CREATE INDEX idx_prospects_cadence ON prospects(cadence, cadence_status)",
        # The existing history, in one pass (the rules of touch.renumber, frozen here), into
        # a temporary table in id order; then written in that order (the table's).
        "CREATE TEMP TABLE m005_numbers "
        "(id INTEGER PRIMARY KEY, touch_number, next_at, replied_at)",
        """INSERT INTO temp.m005_numbers
        SELECT id,
               CASE WHEN direction = 'out'
                    THEN 1 + length(before) - length(rtrim(before, '0')) END,
               CASE WHEN direction = 'out' THEN next_at END,
               CASE WHEN direction = 'out' AND reply THEN at
                    WHEN direction = 'out' AND next_direction = 'in' THEN next_at END
        FROM (
            SELECT id, at, direction, reply,
                   coalesce(group_concat(reply, '') OVER before, '') AS before,
                   lead(at) OVER later AS next_at,
                   lead(direction) OVER later AS next_direction
            FROM (
                SELECT id, prospect_id, at, direction,
                       direction = 'in'
                       OR outcome IN ('lost', 'meeting', 'not_now', 'opted_out', 'replied', 'won')
                       AS reply
                FROM touches
                WHERE NOT (direction = 'out' AND outcome = 'bounced')
            )
            WINDOW later AS (PARTITION BY prospect_id ORDER BY at, id),
                   before AS (later ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
        )
        ORDER BY id""",
        """UPDATE touches SET (touch_number, next_at, replied_at) = (
            SELECT touch_number, next_at, replied_at FROM temp.m005_numbers n
            WHERE n.id = touches.id)
        WHERE id IN (SELECT id FROM temp.m005_numbers)""",
        "DROP TABLE temp.m005_numbers",
    ):
        db.execute(sql)


def _m006_journal(db: Any) -> None:
    # The operation journal (store/journal.py): one entry per command that changed data,
    # and the rows as they were before it, so `undo` takes back exactly that command.
    for sql in (
        """CREATE TABLE journal (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            command TEXT NOT NULL,
            summary TEXT NOT NULL,
            origin TEXT NOT NULL,
            undone_at TEXT
        )""",
        """CREATE TABLE journal_rows (
            entry_id INTEGER NOT NULL REFERENCES journal(id) ON DELETE CASCADE,
            tbl TEXT NOT NULL,
            row_id INTEGER NOT NULL,
            prospect_id INTEGER,
            before TEXT,
            PRIMARY KEY (entry_id, tbl, row_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX idx_journal_rows_prospect ON journal_rows(prospect_id)",
    ):
        db.execute(sql)


def _m007_hot_query_indexes(db: Any) -> None:
    # `draft` picks the A/B variant sent least often: counted from this index, not by
    # reading every touch (tests/store/test_query_plans.py checks each hot query's plan).
    db.execute("CREATE INDEX idx_touches_template_variant ON touches(template, variant)")


def _m008_mail(db: Any) -> None:
    # What `followup mail` remembers (see store/mail.py). Each sync is one journal entry,
    # so undo takes all of it back; addresses are stored lower-cased, plus-addressing folded.
    for sql in (
        """CREATE TABLE mail_syncs (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            started_at TEXT NOT NULL,
            messages_seen INTEGER NOT NULL DEFAULT 0,
            touches_logged INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE mail_messages (
            message_key TEXT NOT NULL,
            prospect_id INTEGER NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
            touch_id INTEGER REFERENCES touches(id) ON DELETE SET NULL,
            sync_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            subject TEXT,
            refs TEXT,
            PRIMARY KEY (message_key, prospect_id)
        )""",
        "CREATE INDEX idx_mail_messages_prospect ON mail_messages(prospect_id, at)",
        "CREATE INDEX idx_mail_messages_touch ON mail_messages(touch_id)",
        # Plain rowid tables, so the journal can record and take back their rows.
        """CREATE TABLE mail_seen (
            account TEXT NOT NULL,
            key TEXT NOT NULL,
            sync_id INTEGER NOT NULL
        )""",
        "CREATE UNIQUE INDEX idx_mail_seen_key ON mail_seen(account, key)",
        "CREATE INDEX idx_mail_seen_sync ON mail_seen(sync_id)",
        """CREATE TABLE mail_folders (
            account TEXT NOT NULL,
            folder TEXT NOT NULL,
            uidvalidity INTEGER NOT NULL,
            last_uid INTEGER NOT NULL,
            PRIMARY KEY (account, folder)
        )""",
        """CREATE TABLE mail_bad_addresses (
            address TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            at TEXT NOT NULL,
            message_key TEXT,
            sync_id INTEGER
        )""",
    ):
        db.execute(sql)


def _m009_tag_index(db: Any) -> None:
    # Shell completion lists the tags in use from the distinct tag lists on this index:
    # a Tab press must not read 100,000 rows.
    db.execute("CREATE INDEX idx_prospects_tags ON prospects(tags)")


def _m010_touch_until(db: Any) -> None:
    # The date a "not now" agreed to revisit (`log --until`), kept on the touch: a draft may
    # name it, and must not name another. NULL when no date was given (the pause then is
    # the cadence's default, which nobody agreed to). And who was referred by whom, found
    # from the index (store/referrals.py asks with this very expression).
    db.execute("ALTER TABLE touches ADD COLUMN until TEXT")
    db.execute(
        "CREATE INDEX idx_prospects_referred_by ON prospects(lower(trim(referred_by))) "
        "WHERE referred_by IS NOT NULL"
    )


def _m012_list_order(db: Any) -> None:
    # `list` shows the soonest due first, then those with no next touch, each by name: read
    # in this index's order, the first 50 come without sorting the whole book, and
    # `list --all` streams. It holds every column `list` prints (pipeline.prospect.Listed),
    # so a listing reads the index alone instead of one table page a prospect.
    db.execute(
        "CREATE INDEX idx_prospects_next_due_name ON prospects(next_due_at, name, id, company, "
        "stage, value, cadence, next_channel, do_not_contact, last_touch_at, "
        "last_touch_channel, last_touch_outcome)"
    )


# A quarter hour of due dates: every timezone's midnight falls on one, so each day of any
# user's calendar is a whole range of these slots.
_SLOT = (
    "substr({r}.next_due_at, 1, 14) || CASE WHEN substr({r}.next_due_at, 15, 2) < '15' "
    "THEN '00' WHEN substr({r}.next_due_at, 15, 2) < '30' THEN '15' "
    "WHEN substr({r}.next_due_at, 15, 2) < '45' THEN '30' ELSE '45' END"
)


def _m013_due_slots(db: Any) -> None:
    # `today` counts who is due per channel from these running counts (one row per quarter
    # hour and channel, kept by triggers on every write) instead of counting its whole due
    # range on every run, and ranks channel by channel on the index below (covering: with
    # do_not_contact in it, no table row is read to score someone). Each slot also
    # keeps the highest priority and deal value of the people in it (raised as they come,
    # reset when the slot empties): no row of a slot can score above them, so the
    # ranking skips the days that cannot make the cut (store/agenda.py).
    db.execute(
        "CREATE TABLE due_slots (slot TEXT NOT NULL, channel TEXT NOT NULL, "
        "n INTEGER NOT NULL, hi_priority INTEGER, hi_value REAL, "
        "PRIMARY KEY (slot, channel)) WITHOUT ROWID"
    )
    due = "{r}.do_not_contact = 0 AND {r}.next_due_at IS NOT NULL"
    key = "slot = " + _SLOT + " AND channel = coalesce({r}.next_channel, '')"

    def add(r: str, condition: str) -> str:
        return (
            "INSERT INTO due_slots SELECT "
            + _SLOT.format(r=r)
            + f", coalesce({r}.next_channel, ''), 1, {r}.priority, coalesce({r}.value, 0) "
            f"WHERE {condition} ON CONFLICT (slot, channel) DO UPDATE SET n = n + 1, "
            "hi_priority = max(hi_priority, excluded.hi_priority), "
            "hi_value = max(hi_value, excluded.hi_value);"
        )

    def remove(r: str, condition: str) -> str:
        where = key.format(r=r)
        return (
            f"UPDATE due_slots SET n = n - 1 WHERE {condition} AND {where};\n"
            f"  DELETE FROM due_slots WHERE {condition} AND {where} AND n <= 0;"
        )

    new, old = due.format(r="NEW"), due.format(r="OLD")
    changed = " OR ".join(
        f"NEW.{c} IS NOT OLD.{c}" for c in ("next_due_at", "next_channel", "do_not_contact")
    )
    bounds = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in ("priority", "value"))
    db.execute(
        f"CREATE TRIGGER prospects_due_slot_ai AFTER INSERT ON prospects WHEN {new} "
        f"BEGIN\n  {add('NEW', 'true')}\nEND"
    )
    db.execute(
        f"CREATE TRIGGER prospects_due_slot_ad AFTER DELETE ON prospects WHEN {old} "
        f"BEGIN\n  {remove('OLD', 'true')}\nEND"
    )
    db.execute(
        "CREATE TRIGGER prospects_due_slot_au AFTER UPDATE OF next_due_at, next_channel, "
        f"do_not_contact, priority, value ON prospects WHEN {changed} OR ({new} AND ({bounds})) "
        f"BEGIN\n  {remove('OLD', old)}\n  {add('NEW', new)}\nEND"
    )
    db.execute(
        "INSERT INTO due_slots SELECT "
        + _SLOT.format(r="p")
        + ", coalesce(p.next_channel, ''), count(*), max(p.priority), "
        "max(coalesce(p.value, 0)) FROM prospects p "
        f"WHERE {due.format(r='p')} GROUP BY 1, 2"
    )
    db.execute(
        "CREATE INDEX idx_prospects_due_by_channel ON prospects("
        "next_channel, next_due_at, priority, stage, value, do_not_contact) "
        "WHERE do_not_contact = 0 AND next_due_at IS NOT NULL"
    )
    # Today's referral nudge: customers with a result on record, biggest first (3 shown).
    db.execute(
        "CREATE INDEX idx_prospects_result_customers ON prospects(value DESC, name) "
        "WHERE stage = 'customer' AND do_not_contact = 0 "
        "AND coalesce(json_extract(fields, '$.result'), '') != ''"
    )


def _m014_occasion_indexes(db: Any) -> None:
    # `today`'s birthdays and work anniversaries of the coming week: counted, and the first
    # few by name read, from these indexes alone (a big book has hundreds a week).
    for column in ("birthday", "anniversary"):
        db.execute(
            f"CREATE INDEX idx_prospects_{column}_card ON prospects("
            f"substr({column}, -5), name, id, company, {column}, do_not_contact) "
            f"WHERE do_not_contact = 0 AND {column} IS NOT NULL"
        )
    # How many open deals have no next step, counted from an index that holds every column
    # of the condition (idx_prospects_open_no_next does not: one table read a prospect).
    db.execute(
        "CREATE INDEX idx_prospects_open_no_next_count ON prospects("
        "stage, next_due_at, do_not_contact) "
        "WHERE next_due_at IS NULL AND do_not_contact = 0 "
        "AND stage IN ('interest', 'active', 'proposal')"
    )


def _m015_list_columns(db: Any) -> None:
    # `list --format tsv` (and csv, plain, -q) prints email and tags too: the list-order
    # index of m012 gets them, so a whole book streams from the index alone instead of one
    # table read a prospect (which made `list --all` seconds per hundred thousand).
    db.execute("DROP INDEX idx_prospects_next_due_name")
    db.execute(
        "CREATE INDEX idx_prospects_list ON prospects(next_due_at, name, id, company, email, "
        "stage, value, tags, cadence, next_channel, do_not_contact, last_touch_at, "
        "last_touch_channel, last_touch_outcome)"
    )


def _m016_triggers(db: Any) -> None:
    # Something that just happened to a prospect (`followup trigger`: a new VP, funding, an
    # award, a company milestone) or their "not now": one touch of its own, due within a
    # business day. It is done once an outbound touch is logged after it (a touch id above
    # since_touch, the newest touch when it was recorded).
    db.execute(
        """CREATE TABLE triggers (
            id INTEGER PRIMARY KEY,
            prospect_id INTEGER NOT NULL REFERENCES prospects(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            event TEXT NOT NULL,
            url TEXT,
            recorded_at TEXT NOT NULL,
            since_touch INTEGER NOT NULL DEFAULT 0,
            due_at TEXT NOT NULL,
            channel TEXT NOT NULL,
            template TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX idx_triggers_due ON triggers(due_at)")
    db.execute("CREATE INDEX idx_triggers_prospect ON triggers(prospect_id, recorded_at)")


def _m017_stats_totals(db: Any) -> None:
    # Running totals for `stats` and `review`, kept by triggers (store/aggregates.py).
    from followup_cli.store import aggregates

    aggregates.migrate(db.conn)


def _m019_stats_update_trigger(db: Any) -> None:
    # m017's update trigger wrote some thirty totals a touch a `log` renumbers: only the
    # ones that move now (store/aggregates.py).
    from followup_cli.store import aggregates

    aggregates.replace_update_trigger(db.conn)


def _m020_customer_index(db: Any) -> None:
    # `stats` and `review` count the customers (stage customer, or a relationship level
    # set) by level, with their names and addresses for their referrals: from this index
    # alone, instead of a pass over the whole book (0.2 s of CPU at 300k prospects).
    db.execute(
        "CREATE INDEX idx_prospects_customers ON prospects(relationship, name, email, stage) "
        "WHERE stage = 'customer' OR relationship IS NOT NULL"
    )


def _m021_open_deal_index(db: Any) -> None:
    # `review` lists the five biggest open deals: from the first rows of this index
    # instead of every open deal with a value sorted (0.25 s of CPU at 300k prospects).
    db.execute(
        "CREATE INDEX idx_prospects_open_value ON prospects(value DESC, next_due_at) "
        "WHERE stage IN ('interest', 'active', 'proposal') AND do_not_contact = 0 "
        "AND value IS NOT NULL"
    )
    # `stats` reads whose each win is from the wins' index, not from the touch row.
    db.execute("DROP INDEX idx_touches_won")
    db.execute("CREATE INDEX idx_touches_won ON touches(at, prospect_id) WHERE outcome = 'won'")


MIGRATIONS: tuple[Callable[[Any], None], ...] = (
    _m001_prospects_and_touches,
    _m002_value_bank,
    _m003_search,
    _m004_agenda_indexes,
    _m005_touch_numbers,
    _m006_journal,
    _m007_hot_query_indexes,
    _m008_mail,
    _m009_tag_index,
    _m010_touch_until,
    _m011_search_every_field,
    _m012_list_order,
    _m013_due_slots,
    _m014_occasion_indexes,
    _m015_list_columns,
    _m016_triggers,
    _m017_stats_totals,
    _m018_texts_ok,
    _m019_stats_update_trigger,
    _m020_customer_index,
    _m021_open_deal_index,
)
MIGRATION_NAMES = tuple(fn.__name__ for fn in MIGRATIONS)


def _migrations() -> Any:
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for fn in MIGRATIONS:
        migrations()(fn)
    return migrations
