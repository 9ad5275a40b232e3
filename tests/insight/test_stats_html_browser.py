"""The HTML report (`stats --html`) as a real browser renders it: Debian's headless Chromium
(`.ci/run` installs it). What we look at: the rendered DOM (landmarks, captions, scoped
headers, bars hidden from or labelled for screen readers; the file has no script), a PDF
printed from it, the layout at a 390 px
phone width (measured in an iframe of that width: headless Chromium's window is at least
500 px wide), and the bars' contrast from the computed styles."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

PHONE = 390


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "these tests need Debian's chromium: apt-get install chromium (.ci/run does)"
    return found


def browse(tmp_path: Path, *args: str) -> str:
    result = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'chromium'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The dashboard of the demo book (every section filled) as stats --html writes it."""
    import os

    from typer.testing import CliRunner

    from followup_cli.cli.app import app, load_commands

    folder = tmp_path_factory.mktemp("report")
    env = {
        "FOLLOWUP_DB": str(folder / "demo.db"),
        "FOLLOWUP_CONFIG_DIR": str(folder / "config"),
        "FOLLOWUP_NOW": "2026-11-23T08:00:00-07:00",
        "FOLLOWUP_TZ": "America/Denver",
        "HOME": os.environ.get("HOME", str(folder)),
    }
    runner = CliRunner()
    for args in (
        ["demo", "--path", str(folder / "book.db")],
        ["--db", str(folder / "book.db"), "stats", "--html", str(folder / "report.html")],
    ):
        load_commands(args)
        result = runner.invoke(app, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return folder / "report.html"


class Elements(HTMLParser):
    """Every element with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.found if name == tag]


def test_landmarks_captions_scoped_headers_and_no_javascript(report, tmp_path):
    source = report.read_text(encoding="utf-8")
    assert "<script" not in source and not re.search(r"\son[a-z]+=", source)
    dom = browse(tmp_path, "--dump-dom", str(report))
    page = Elements()
    page.feed(dom)
    assert [len(page.named(tag)) for tag in ("header", "main", "footer")] == [1, 1, 1]
    tables = page.named("table")
    # by touch, give-up curve, channels, cadences, templates; referrals per referrer (the
    # demo book has referrers); then the seeds' measures: wins by touch, part of day,
    # weekday, hour, length, and response against the gaps
    assert "Referrals per referrer" in source
    assert len(tables) == 5 + 1 + 5 + (1 if "Time to response against" in source else 0)
    assert len(page.named("caption")) == len(tables)
    headers = page.named("th")
    assert headers and all(th.get("scope") in ("col", "row") for th in headers)
    rows = len(page.named("tr"))
    assert len([th for th in headers if th["scope"] == "row"]) == rows - len(tables)
    assert all(img.get("alt") for img in page.named("img"))  # (it has none: bars are CSS)
    bars = [d for d in page.named("div") if "bar" in (d.get("class") or "").split()]
    assert bars and all(
        d.get("aria-hidden") == "true" or (d.get("role") == "img" and d.get("aria-label"))
        for d in bars
    )
    regions = [d for d in page.named("div") if d.get("role") == "region"]
    assert len(regions) == len(tables)
    ids = {attrs.get("id") for _, attrs in page.found}
    assert all(r.get("tabindex") == "0" and r.get("aria-labelledby") in ids for r in regions)
    text = re.sub(r"<[^>]+>", " ", dom)
    assert "Response by touch number" in text and "Emails" in text


PROBE = """
window.addEventListener('load', () => {
  const frame = document.getElementById('phone');
  const d = frame.contentDocument, w = d.defaultView;
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/[0-9.]+/g).slice(0, 3).map(Number).map((c) => {
      c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bg = luminance(w.getComputedStyle(d.body).backgroundColor);
  const contrast = (el) => {
    const l = luminance(w.getComputedStyle(el).backgroundColor);
    return (Math.max(l, bg) + 0.05) / (Math.min(l, bg) + 0.05);
  };
  const out = {
    width: w.innerWidth,
    page: d.documentElement.scrollWidth,
    outside: [...d.querySelectorAll('body *')]
      .filter((e) => !e.closest('.scroll') && e.getBoundingClientRect().right > w.innerWidth + 0.5)
      .map((e) => e.tagName),
    scrolled: [...d.querySelectorAll('.scroll')]
      .filter((e) => e.scrollWidth > e.clientWidth)
      .map((e) => [e.getAttribute('role'), e.tabIndex, e.getAttribute('aria-labelledby')]),
    bars: [...d.querySelectorAll('.bar, .step i')].map(contrast),
    wraps: w.getComputedStyle(d.querySelector('td')).whiteSpace,
  };
  const probe = '<pre id="probe">' + JSON.stringify(out) + '</pre>';
  document.body.insertAdjacentHTML('beforeend', probe);
});
"""


def test_on_a_390px_phone_nothing_is_cut_off_and_bars_have_3_to_1_contrast(report, tmp_path):
    page = report.read_text(encoding="utf-8")
    wrapper = tmp_path / "phone.html"
    wrapper.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe id="phone" style="border:0;width:{PHONE}px;height:844px" '
        f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
        f"<script>{PROBE}</script></body></html>",
        encoding="utf-8",
    )
    dom = browse(tmp_path, "--window-size=800,900", "--dump-dom", str(wrapper))
    found = re.search(r'<pre id="probe">(\{.*?\})</pre>', dom)
    assert found, dom[-2000:]
    seen = json.loads(html.unescape(found.group(1)))
    assert seen["width"] == PHONE
    assert seen["page"] <= PHONE, seen  # no sideways scrolling of the page itself
    assert seen["outside"] == []
    assert seen["wraps"] == "normal"  # the narrow layout applies
    # A table still wider than a phone scrolls inside its own labelled, focusable region.
    assert all(role == "region" and tab == 0 and label for role, tab, label in seen["scrolled"])
    assert seen["bars"] and min(seen["bars"]) >= 3.0, seen["bars"]


def test_it_prints_to_pdf(report, tmp_path):
    pdf = tmp_path / "report.pdf"
    browse(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", str(report))
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) >= 1
    assert "@media print" in report.read_text(encoding="utf-8")
