"""The HTML report in a real browser: headless Chromium (Debian package ``chromium``), offline.

Three checks: the DOM Chromium builds has every section and chart; a harness page measures the
laid-out report (sections and charts have a size, nothing overflows sideways); a screenshot is
taken and is not blank. Name resolution is disabled, so anything fetched from the network fails.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import lxml.html
import pytest
from report_fixture import Fixture

from tzcld_qual.services.reports import write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (Debian: apt-get install -y chromium)",
)
SECTIONS = [
    ("synthese", "Synthèse"),
    ("finding-F1", "F1 — Concertation du CLE"),
    ("finding-F2", "F2 — Regard sur l'employabilité"),
    ("finding-F3", "F3 — Connaissance des droits"),
    ("finding-F4", "F4 — Regard sur soi"),
    ("cooccurrences", "Co-occurrences"),
    ("accord", "Accord inter-codeurs"),
    ("methodes", "Méthodes"),
]
CHARTS = 1 + 4 * 3  # overview + 4 findings × role, territory, round

HARNESS = """<!DOCTYPE html><html><body>
<iframe id="r" src="rapport.html" style="width: 1000px; height: 1500px"></iframe>
<pre id="out">pending</pre>
<script>
document.getElementById("r").addEventListener("load", () => {
  const d = document.getElementById("r").contentDocument;
  const box = (e) => e.getBoundingClientRect();
  document.getElementById("out").textContent = JSON.stringify({
    sections: [...d.querySelectorAll("main > section")].map(
      (s) => [s.id, box(s).height, s.querySelector("h2").textContent]),
    charts: [...d.querySelectorAll("svg.chart")].map((s) => [s.id, box(s).width, box(s).height]),
    overflow: d.documentElement.scrollWidth - d.documentElement.clientWidth,
  });
});
</script></body></html>
"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


@pytest.fixture
def report(project: Fixture, tmp_path: Path) -> Path:
    out = tmp_path / "rapport.html"
    write_report(project.path, out)
    return out


def test_chromium_dom_has_every_section_and_chart(report: Path, tmp_path: Path) -> None:
    dom = lxml.html.fromstring(chromium(tmp_path, "--dump-dom", report.as_uri()).stdout)
    sections = dom.xpath("//main/section")
    assert [(s.get("id"), s.findtext("h2")) for s in sections] == SECTIONS
    charts = dom.xpath("//*[local-name()='svg' and contains(@class, 'chart')]")
    assert len(charts) == CHARTS
    assert all(c.xpath(".//*[local-name()='rect']") for c in charts)
    assert dom.xpath("//blockquote[contains(@class, 'suggestion')]")  # marked suggestions
    assert [a.get("href") for a in dom.xpath("//nav//a")] == [f"#{s}" for s, _ in SECTIONS]


def test_chromium_lays_out_sections_and_charts_without_overflow(report: Path, tmp_path: Path) -> None:
    harness = report.parent / "harness.html"
    harness.write_text(HARNESS, encoding="utf-8")
    dom = chromium(
        tmp_path,
        "--allow-file-access-from-files",
        "--virtual-time-budget=10000",
        "--dump-dom",
        harness.as_uri(),
    ).stdout
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    assert found and found.group(1) != "pending", dom[-1000:]
    layout = json.loads(lxml.html.fromstring(found.group(1)).text_content())
    assert [(s[0], s[2]) for s in layout["sections"]] == SECTIONS
    assert all(height > 100 for _, height, _ in layout["sections"])
    assert len(layout["charts"]) == CHARTS
    assert all(width > 300 and height > 60 for _, width, height in layout["charts"])
    assert layout["overflow"] <= 0


def test_chromium_screenshot_is_not_blank(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "rapport.png"
    chromium(tmp_path, "--window-size=1100,2400", f"--screenshot={shot}", report.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1100, 2400)
    # a blank page of this size compresses to ~13 kB; text, charts and tables take far more
    assert len(data) > 60_000
