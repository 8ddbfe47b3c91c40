"""The search dialog: each result says its segment number; a number search puts that segment first."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from textual.widgets import Label, OptionList
from tui_support import settle

from tzcld_qual.services.review_views import SearchHit
from tzcld_qual.store import ProjectStore
from tzcld_qual.tui.app import ReviewApp
from tzcld_qual.tui.screens.search import SearchDialog, hit_prompt

SIZE = (100, 30)


def plain(renderable: object) -> str:
    console = Console(width=300, record=True, color_system=None)
    console.print(renderable)
    return console.export_text().rstrip("\n")


def test_a_hit_says_its_number_and_marks_the_match() -> None:
    hit = SearchHit(626, 3, "demo-01.txt", "Sylvie", "Ma mutuelle, je la paie encore.", 3)
    prompt = hit_prompt(hit, query="mutuelle")
    assert prompt.plain == "n° 626 · demo-01.txt · Sylvie : Ma mutuelle, je la paie encore."
    marked = [prompt.plain[s.start : s.end] for s in prompt.spans if "reverse" in str(s.style)]
    assert marked == ["mutuelle"]
    numbered = hit_prompt(SearchHit(8, 1, "demo-01.txt", "Sylvie", "Après y a eu", 0, numbered=True), query="8")
    assert numbered.plain.startswith("segment n° 8 · demo-01.txt")


async def test_a_number_search_lists_that_segment_first_marked_then_the_text_hits(project: Path) -> None:
    """« /8 » listed segment 8 among « 2018 » and « 58 ans » with nothing to tell them apart."""
    with ProjectStore(project) as store:
        doc = store.documents.find("entretien-02.txt")
        assert doc is not None
        first = store.documents.segments(document_id=doc.id)[1]
    number = str(first.id)
    app = ReviewApp(project, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *number, "enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchDialog)
        options = app.screen.query_one(OptionList)
        prompts = [plain(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts[0].startswith(f"segment n° {number} · entretien-02.txt · M. Lefèvre : ")
        assert all(p.startswith("n° ") for p in prompts[1:])
        status = plain(app.screen.query_one("#search-status", Label).content)
        assert status.startswith(f"segment n° {number}")
