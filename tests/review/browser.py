"""Opening a page in a real headless browser (Debian's chromium) and reading what it shows.

The page is loaded from disk (file://, no server), given a few seconds of virtual time so
that load events, image errors and timers have run, then its DOM is dumped as the browser
holds it (after any script would have changed it). Console messages, CSP violations
included, come from chromium's log on stderr.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

# We run as root (hence no sandbox); the network is closed (hence no background traffic).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--enable-logging=stderr", "--v=0",
         "--virtual-time-budget=3000"]
CONSOLE = re.compile(r':CONSOLE(?::\d+)?\] "(.*)", source: ')


def chromium_or_skip() -> str:
    """The chromium binary; a missing one skips locally and fails in CI (CI=true)."""
    found = shutil.which("chromium")
    if found:
        return found
    message = "chromium is not installed: `make test` installs it (scripts/install-system-deps.sh chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class Dom(HTMLParser):
    """The elements and the text of a dumped DOM."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.texts: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        self.texts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def find(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [e for e in self.elements if (tag is None or e.tag == tag)
                and (cls is None or cls in e.classes)]

    def by_id(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.attrs.get("id") == element_id), None)


@dataclass
class LoadedPage:
    html: str
    dom: Dom
    console: list[str]


def load_page(page: Path, chromium: str) -> LoadedPage:
    """Open ``page`` from disk in headless chromium; its DOM after load, and the console."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        result = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip(), f"chromium dumped no DOM: {result.stderr[-2000:]}"
    dom = Dom()
    dom.feed(result.stdout)
    dom.close()
    return LoadedPage(html=result.stdout, dom=dom, console=CONSOLE.findall(result.stderr))


def screenshot(page: Path, chromium: str, png: Path, size: tuple[int, int] = (800, 600)) -> Path:
    """What chromium shows of ``page`` (from disk), as a PNG of ``size`` pixels."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        result = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={png}",
             f"--window-size={size[0]},{size[1]}", "--hide-scrollbars", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0 and png.is_file(), result.stderr[-2000:]
    return png
