"""What full-text search indexes, as two migrations of the one numbered list in
``store/migrations.py`` (m003, and m011 that widened it to every field a user types), with
the columns ``store/search.py`` reads. Kept beside each other so the search schema reads in
one place; never edited once on main, like every migration."""

from __future__ import annotations

from typing import Any

SEARCHED_COLUMNS = ("name", "company", "email", "notes", "key_points", "personal")


def _m003_search(db: Any) -> None:
    # Full-text search over people and what happened, kept in sync by triggers.
    db["prospects"].enable_fts(list(SEARCHED_COLUMNS), create_triggers=True)
    db["touches"].enable_fts(["note"], create_triggers=True)
    # Re-index a prospect only when a searched column changes, not on every schedule update
    # (each `log` rewrites the next-due columns).
    columns = ", ".join(f'"{name}"' for name in SEARCHED_COLUMNS)
    old = ", ".join(f'old."{name}"' for name in SEARCHED_COLUMNS)
    new = ", ".join(f'new."{name}"' for name in SEARCHED_COLUMNS)
    db.execute('DROP TRIGGER "prospects_au"')
    db.execute(
        f'CREATE TRIGGER "prospects_au" AFTER UPDATE OF {columns} ON "prospects" BEGIN\n'
        f'  INSERT INTO "prospects_fts" ("prospects_fts", rowid, {columns}) '
        f"VALUES('delete', old.rowid, {old});\n"
        f'  INSERT INTO "prospects_fts" (rowid, {columns}) VALUES (new.rowid, {new});\n'
        "END"
    )


# Every field a user types, searched (m011): the columns as they are, the tags and the custom
# fields' values as words (not their JSON, nor the fields' names: `search goal` must not find
# everyone who has a goal). The index reads them through a view, so 'rebuild', snippets and
# highlights all work from this one definition. {row} is `new`, `old` or the view's `p`.
_WORDS_OF = (
    "(SELECT group_concat(value, ' ') FROM "
    "json_each(CASE WHEN json_valid({row}.{col}) THEN {row}.{col} ELSE '[]' END))"
)
SEARCH_COLUMNS = {
    **{
        name: "{row}." + name
        for name in (
            "name",
            "company",
            "email",
            "notes",
            "key_points",
            "personal",
            "title",
            "phone",
            "competitors",
            "decision_makers",
            "referred_by",
        )
    },
    "tags": _WORDS_OF.replace("{col}", "tags"),
    "fields": _WORDS_OF.replace("{col}", "fields"),
}


def _m011_search_every_field(db: Any) -> None:
    columns = ", ".join(f'"{name}"' for name in SEARCH_COLUMNS)

    def values(row: str) -> str:
        return ", ".join(expr.format(row=row) for expr in SEARCH_COLUMNS.values())

    for trigger in ("prospects_ai", "prospects_ad", "prospects_au"):
        db.execute(f'DROP TRIGGER "{trigger}"')
    db.execute('DROP TABLE "prospects_fts"')
    listed = ", ".join(f"{expr.format(row='p')} AS {name}" for name, expr in SEARCH_COLUMNS.items())
    db.execute(f'CREATE VIEW "prospects_search" AS SELECT p.id, {listed} FROM prospects p')
    db.execute(
        f'CREATE VIRTUAL TABLE "prospects_fts" USING FTS5 ({columns}, '
        'content="prospects_search", content_rowid="id")'
    )
    # FTS5's 'rebuild' cannot read a view: the rows go in by one INSERT ... SELECT instead.
    db.execute(
        f'INSERT INTO "prospects_fts" (rowid, {columns}) SELECT id, {columns} FROM prospects_search'
    )
    insert = f'INSERT INTO "prospects_fts" (rowid, {columns}) VALUES (new.id, {values("new")});'
    delete = (
        f'INSERT INTO "prospects_fts" ("prospects_fts", rowid, {columns}) '
        f"VALUES('delete', old.id, {values('old')});"
    )
    db.execute(f'CREATE TRIGGER "prospects_ai" AFTER INSERT ON "prospects" BEGIN\n  {insert}\nEND')
    db.execute(f'CREATE TRIGGER "prospects_ad" AFTER DELETE ON "prospects" BEGIN\n  {delete}\nEND')
    # Only when a searched column changes, not on every schedule update (as m003 did).
    db.execute(
        f'CREATE TRIGGER "prospects_au" AFTER UPDATE OF {columns} ON "prospects" BEGIN\n'
        f"  {delete}\n  {insert}\nEND"
    )
