"""Writes never destroy what is not theirs, with real files, devices, pipes and mounts:
symlinks are written through, devices and FIFOs written into, `-` is standard output,
personal files are 0600, a full disk is one clear line and leaves no file behind, and a
database on a read-only disk can be read."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

NEEDS_ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="mounts and device nodes need root")


def followup(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "followup_cli", *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


@pytest.fixture
def book(run, dana, tmp_path):
    run.ok("log", "dana", "-c", "email", "-o", "sent", "--at", "2026-11-20T10:00")
    run.ok("me", "--name", "Sam Ortiz", "--email", "sam@northwind.io")
    return tmp_path / "followup.db"


@pytest.fixture
def mount(tmp_path):
    """Mount small tmpfs file systems (a full disk, a read-only disk); unmounted after."""
    mounted = []

    def make(name: str, size: str = "256k") -> Path:
        point = tmp_path / name
        point.mkdir()
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], check=True
        )
        mounted.append(point)
        return point

    yield make
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], check=False)


def fill(folder: Path) -> None:
    """Leave no free byte on the file system of ``folder``."""
    fd = os.open(folder / "ballast", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)


# --- symlinks, devices, FIFOs, `-` -------------------------------------------------------------


WRITERS = [
    ("export", "{path}", "--format", "csv"),
    ("calendar", "{path}"),
    ("stats", "--html", "{path}"),
    ("draft", "dana", "--channel", "email", "--eml", "{path}"),
    ("backup", "{path}", "--force"),
]


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: c[0])
def test_a_symlink_is_written_through_and_the_file_is_private(run, book, tmp_path, command):
    real = tmp_path / "real" / "target.out"
    real.parent.mkdir()
    real.write_text("old content")
    os.chmod(real, 0o644)
    link = tmp_path / "link.out"
    link.symlink_to(real)
    args = [part.format(path=link) for part in command]
    run.ok(*args)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() != b"old content" and real.stat().st_size > 0
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in real.parent.iterdir()) == ["target.out"]  # no temp left


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: c[0])
def test_a_fifo_is_written_into_never_replaced(run, book, tmp_path, command):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run(*[part.format(path=fifo) for part in command])
    if reader.is_alive() and not got:  # never opened: let the reader go
        # Without blocking: a reader that finished meanwhile (its read done, `got` not yet
        # appended) leaves nobody to pair with, and a blocking open then waited for ever.
        with contextlib.suppress(OSError):  # ENXIO: no reader left
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0]


@NEEDS_ROOT
def test_backup_onto_a_device_writes_into_it(book, tmp_path):
    """`followup backup /dev/null --force`, as root, once replaced the system's /dev/null.
    Here a private null device node stands in for it."""
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    done = followup("backup", str(null), "--force")
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert os.lstat(null).st_rdev == os.makedev(1, 3)
    assert [p.name for p in tmp_path.iterdir() if "null" in p.name] == ["null"]


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: c[0])
def test_dash_and_dev_stdout_are_standard_output(book, command):
    for target in ("-", "/dev/stdout"):
        done = followup(*[part.format(path=target) for part in command])
        assert done.returncode == 0, done.stderr
        assert len(done.stdout) > 100
    assert os.path.islink("/dev/stdout")  # still the system's link, not a file


def test_backup_to_stdout_is_a_whole_database(book, tmp_path):
    done = followup("backup", "-")
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "piped.db"
    copy.write_bytes(done.stdout)
    assert sqlite3.connect(copy).execute("SELECT name FROM prospects").fetchall() == [
        ("Dana Reyes",)
    ]


def test_the_partial_copy_of_a_backup_is_private_from_the_start(book, tmp_path, monkeypatch):
    from followup_cli import store
    from followup_cli.store import safety

    modes = []
    original = store.backup

    def watch(conn, target):
        done = original(conn, target)
        modes.append((Path(target).name, stat.S_IMODE(Path(target).stat().st_mode)))
        return done

    monkeypatch.setattr(store, "backup", watch)
    os.umask(0o022)
    conn = store.open_db(book)
    safety.backup(conn, book, tmp_path / "copy.db")
    conn.close()
    assert modes == [(".copy.db.partial", 0o600)]
    assert stat.S_IMODE((tmp_path / "copy.db").stat().st_mode) == 0o600


def test_every_personal_file_is_0600(run, book, tmp_path):
    os.umask(0o022)
    run.ok("export", str(tmp_path / "p.csv"))
    run.ok("calendar", str(tmp_path / "c.ics"))
    run.ok("draft", "dana", "--channel", "email", "--eml", str(tmp_path / "d.eml"))
    run.ok("stats", "--html", str(tmp_path / "s.html"))
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,stage\nAda,ada@example.com,cold\nBo,bo@example.com,nonsense\n")
    run.ok("import", str(bad), "--skip-bad")
    for name in ("p.csv", "c.ics", "d.eml", "s.html", "bad.rejects.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


def test_a_file_held_open_elsewhere_on_windows_is_one_clear_line(run, book, tmp_path, monkeypatch):
    """On Windows, replacing a file another program has open raises PermissionError."""
    from followup_cli.core import safe_files

    def refused(source, target):
        raise PermissionError(13, "Access is denied", str(target))

    monkeypatch.setattr(safe_files.os, "replace", refused)
    target = tmp_path / "open-in-excel.csv"
    target.write_text("theirs")
    result = run("export", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: Cannot write {target}: permission denied, or the file is open in another "
        "program. Close it, or write elsewhere.\n"
    )
    assert target.read_text() == "theirs"
    assert sorted(p.name for p in tmp_path.iterdir() if "open-in" in p.name) == [target.name]


# --- a full disk -------------------------------------------------------------------------------


@NEEDS_ROOT
@pytest.mark.parametrize(
    "command",
    [
        ("export", "{path}/p.csv"),
        ("export", "{path}/p.csv", "--touches"),
        ("calendar", "{path}/c.ics"),
        ("stats", "--html", "{path}/s.html"),
        ("draft", "dana", "--channel", "email", "--eml", "{path}/d.eml"),
        ("backup", "{path}/b.db"),
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_full_disk_is_one_line_and_leaves_no_file(book, mount, command):
    disk = mount("full", "64k")
    fill(disk)
    before = sorted(p.name for p in disk.iterdir())
    args = [part.format(path=disk) for part in command]
    done = followup(*args, text=True)
    assert done.returncode == 1, done.stdout
    assert done.stderr.startswith("Error: The disk is full: "), done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert sorted(p.name for p in disk.iterdir()) == before  # no 0-byte or partial file


def test_writing_into_a_full_device_is_one_line(book):
    done = followup("export", "/dev/full", text=True)
    assert done.returncode == 1
    assert (
        done.stderr == "Error: The disk is full: /dev/full was not written. "
        "Free some space, or write elsewhere.\n"
    )


@NEEDS_ROOT
def test_import_on_a_full_disk_says_so_and_changes_nothing(mount, tmp_path):
    disk = mount("dbdisk", "1m")
    db = disk / "followup.db"
    env = {"FOLLOWUP_DB": str(db)}
    assert followup("add", "Dana Reyes", env=env).returncode == 0
    source = tmp_path / "many.csv"
    rows = [f"Person {n},p{n}@example.com,{'note ' * 40}" for n in range(4000)]
    source.write_text("name,email,notes\n" + "\n".join(rows) + "\n")
    fill(disk)
    with open(disk / "ballast", "r+b") as ballast:  # room to open it, not for the import
        ballast.truncate(ballast.seek(0, 2) - 160 * 1024)
    done = followup("import", str(source), env=env, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: The disk is full: nothing was changed in "), done.stderr
    assert "no transaction is active" not in done.stderr and "Traceback" not in done.stderr
    for leftover in disk.glob("ballast*"):
        leftover.unlink()
    listed = followup("list", "--json", env=env, text=True)
    assert [p["name"] for p in __import__("json").loads(listed.stdout)] == ["Dana Reyes"]


# --- a read-only disk, and another program's database -------------------------------------------


@NEEDS_ROOT
def test_a_database_on_a_read_only_disk_can_be_read_and_a_write_says_read_only(mount, tmp_path):
    disk = mount("ro", "4m")
    db = disk / "followup.db"
    env = {"FOLLOWUP_DB": str(db)}
    assert followup("add", "Dana Reyes", "--cadence", "post-proposal", env=env).returncode == 0
    assert followup("log", "dana", "-c", "email", "-o", "sent", env=env).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    data = db.read_bytes()
    for command in (
        ["today"],
        ["show", "dana"],
        ["list"],
        ["stats"],
        ["search", "dana"],
        ["undo", "--list"],
        ["export", str(tmp_path / "out.csv")],
        ["backup", str(tmp_path / "copy.db")],
    ):
        done = followup(*command, env=env, text=True)
        assert done.returncode == 0, (command, done.stderr)
    assert "Dana Reyes" in followup("show", "dana", env=env, text=True).stdout
    for command in (
        ["log", "dana", "-c", "call", "-o", "voicemail"],
        ["undo"],
        ["edit", "dana", "--stage", "lost"],
    ):
        done = followup(*command, env=env, text=True)
        assert done.returncode == 1, command
        assert done.stderr == (
            f"Error: The database {db} is read-only (a read-only disk or file): it can be read, "
            "but nothing can be changed. Copy it somewhere writable, or use --db.\n"
        ), command
    assert db.read_bytes() == data


def test_another_programs_sqlite_file_is_not_switched_to_wal(tmp_path):
    theirs = tmp_path / "photos.sqlite"
    conn = sqlite3.connect(theirs)
    conn.execute("CREATE TABLE albums (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO albums (title) VALUES ('Summer')")
    conn.commit()
    conn.close()
    data = theirs.read_bytes()
    assert data[18:20] == b"\x01\x01"  # rollback journal: what the other program chose
    done = followup("--db", str(theirs), "today", text=True)
    assert done.returncode == 1
    assert "is an SQLite database of another program" in done.stderr
    assert theirs.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos.sqlite"]


# --- forget and backups -------------------------------------------------------------------------


def test_forget_lists_only_backups_that_hold_the_person(run, tmp_path):
    run.ok("add", "Sam Lee", "--email", "sam@example.com")
    before = tmp_path / "before-dana.db"
    run.ok("backup", str(before))
    run.ok("add", "Dana Reyes", "--email", "dana@acme.io")
    elsewhere = tmp_path / "safe" / "after-dana.db"
    elsewhere.parent.mkdir()
    run.ok("backup", str(elsewhere))
    automatic = tmp_path / "followup.db.before-x.bak"
    run.ok("backup", str(automatic))
    stale_record = tmp_path / "gone.db"
    run.ok("backup", str(stale_record))
    stale_record.unlink()
    result = run.ok("forget", "dana", "--yes")
    out = result.stdout.replace("\n", "")
    assert f"Older backups still hold them: {automatic}, {elsewhere}." in out
    assert str(before) not in out
