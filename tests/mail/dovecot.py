"""A real IMAP server for the tests and the benchmark: Dovecot from Debian's packages
(``dovecot-imapd``), started on 127.0.0.1 on a free port with its own config, user file
and Maildir in a temporary folder, and stopped afterwards.

Dovecot never lets a mail user be root, so when the tests run as root (CI) the mailbox
belongs to ``nobody``, in a folder that user can reach; otherwise everything runs as the
current user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

USER = "sam@example.com"
PASSWORD = "correct horse battery staple"


@dataclass
class Dovecot:
    host: str
    port: int
    user: str
    password: str
    root: Path
    process: subprocess.Popen

    def client(self):
        from imapclient import IMAPClient

        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=30)
        client.login(self.user, self.password)
        return client

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def available() -> str | None:
    """The dovecot binary, or None where it is not installed."""
    return shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(binary: str) -> Dovecot:
    root = Path(tempfile.mkdtemp(prefix="followup-dovecot-"))
    os.chmod(root, 0o755)
    as_root = os.geteuid() == 0
    me = pwd.getpwuid(os.geteuid())
    mail_user = pwd.getpwnam("nobody") if as_root else me
    home = root / "home"
    (home / "Maildir").mkdir(parents=True)
    for path in (home, home / "Maildir"):
        os.chown(path, mail_user.pw_uid, mail_user.pw_gid)
    (root / "run").mkdir()
    port = _free_port()
    (root / "passwd").write_text(
        f"{USER}:{{PLAIN}}{PASSWORD}:{mail_user.pw_uid}:{mail_user.pw_gid}::{home}\n"
    )
    internal = (
        ""
        if as_root
        else f"default_login_user = {me.pw_name}\ndefault_internal_user = {me.pw_name}\n"
    )
    (root / "dovecot.conf").write_text(
        f"""base_dir = {root}/run
state_dir = {root}/run
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
{internal}mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
"""
    )
    process = subprocess.Popen(
        [binary, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"dovecot exited: {output}\n{(root / 'dovecot.log').read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("dovecot did not start listening within 20 s")
    return Dovecot("127.0.0.1", port, USER, PASSWORD, root, process)


def stop(server: Dovecot) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    shutil.rmtree(server.root, ignore_errors=True)
