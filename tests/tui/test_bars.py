"""``tui.widgets.bars``: the statistics screen's per-code table."""

from __future__ import annotations

import pytest
from rich.console import Console

from tzcld_qual.tui.widgets.bars import code_table, split_table


def _lines(table: object) -> list[str]:
    console = Console(width=80, record=True, color_system=None)
    console.print(table)
    return console.export_text().splitlines()


def test_sub_codes_are_indented_under_their_parent_whatever_their_names() -> None:
    rows = [("MOI", 3, 1, 0), ("fierte", 2, 0, 1), ("MOI.liens", 1, 0, 0), ("AUTRE", 0, 2, 0)]
    lines = _lines(code_table(rows, 20, sub_codes={"fierte"}))
    starts = {line.split()[0]: line.index(line.split()[0]) for line in lines[1:]}
    assert starts["MOI"] == starts["AUTRE"] == 0
    assert starts["fierte"] == starts["MOI.liens"] == 2


def test_the_split_table_keeps_codes_and_every_value_readable_at_80_columns() -> None:
    """Long role names on one line took the width: at 80 columns the codes vanished and
    « élu·e » became « … »."""
    roles = ["membre du CLE", "partenaire", "personne privée durablement d'emploi", "salarié·e EBE", "élu·e"]
    counts = {f"F{n}": {role: (n % 3, 2 * n) for role in roles} for n in range(1, 9)}
    lines = _lines(split_table(list(counts), roles, counts, (80 - 8) // len(roles) - 8))
    assert all(len(line) <= 80 for line in lines)
    assert [line.split()[0] for line in lines if line.startswith("F")] == list(counts)
    text = "\n".join(lines)
    assert "élu·e" in text and "partenaire" in text and "…" not in text


def test_the_top_bar_shortens_a_long_document_name_before_the_position_and_filter() -> None:
    from tzcld_qual.tui.widgets.topbar import _fit

    place = "r2-10-equipe-projet-petit-bois.srt · 15/17 · filtre : F1 · ensemble@1 · claire"
    assert _fit(place, 100) == place
    assert _fit(place, 60) == "r2-10-equipe-pr… · 15/17 · filtre : F1 · ensemble@1 · claire"
    assert _fit(place, 40).startswith("r2-10-e… · 15/17 · filtre : F1") and len(_fit(place, 40)) == 40
    assert _fit("doc · 3/10 · ensemble@1 · claire", 20) == "doc · 3/10 · ensemb…"  # a short name is kept whole


PARTS = ["r2-05-salarie-depart-vallon.vtt", "3/18 n° 1497", "ensemble@1", "alice"]
PLACE = " · ".join(PARTS)
RETRAIN = "réentraînement : validation croisée 40%"
UNDONE = "annulé : F7.besoins (rejeté → —), F4.confiance (accepté → —)"


async def shown(
    size: int, flash: str = "", activity: str = "", parts: list[str] = PARTS, spare: int = 2
) -> tuple[str, int]:
    """The top bar's text and height in a terminal ``size`` columns wide (the transcript's place:
    its model and coder may give way)."""
    from textual.app import App, ComposeResult
    from textual.reactive import reactive

    from tzcld_qual.tui.widgets.topbar import TopBar

    class Host(App[None]):
        CSS = "TopBar { height: 1; padding: 0 1; }"  # as app.tcss has it
        activity: reactive[str] = reactive("")

        def compose(self) -> ComposeResult:
            yield TopBar(id="topbar")

    app = Host()
    async with app.run_test(size=(size, 6)) as pilot:
        bar = app.query_one(TopBar)
        bar.set_place(parts, spare)
        bar.flash, app.activity = flash, activity
        await pilot.pause()
        return bar.render().plain, bar.outer_size.height


@pytest.mark.parametrize("size", [80, 100, 140])
async def test_a_retraining_leaves_the_interview_and_its_progress_whole(size: int) -> None:
    """At 80 columns: « r2-05-s… · 3/18 n° 1497 · ensemble@1 · alice  réentraînement : validation cro… »."""
    text, height = await shown(size, activity=RETRAIN)
    lines = text.splitlines()
    assert all(len(line) <= size - 2 for line in lines) and height == len(lines)
    assert "r2-05-salarie-depart-vallon.vtt · 3/18 n° 1497" in text and RETRAIN in text
    assert (height == 1) == (size >= 100)  # beside the place when there is room, else on its own line


@pytest.mark.parametrize("size", [80, 100, 140])
async def test_an_undo_says_every_code_it_reversed(size: int) -> None:
    """« annulé : F7.besoins (rejeté → … »: the second code undone was hidden."""
    text, height = await shown(size, flash=UNDONE, activity=RETRAIN)
    assert UNDONE + " · " + RETRAIN in " ".join(text.split("\n")[1:] if height > 1 else [text])
    assert "r2-05-salarie-depart-vallon.vtt · 3/18 n° 1497" in text


async def test_a_short_message_takes_the_model_and_coder_s_room_not_the_document_s() -> None:
    text, height = await shown(80, flash="F7 accepté")
    assert height == 1
    assert text.startswith("r2-05-salarie-depart-vallon.vtt · 3/18 n° 1497 · ensemble@1")
    assert text.endswith("F7 accepté")
    text, height = await shown(80, flash="dernier segment du filtre")
    assert height == 1 and text.startswith("r2-05-salarie-depart-vallon.vtt · 3/18 n° 1497 ")
    assert text.endswith("dernier segment du filtre") and "alice" not in text


async def test_a_message_longer_than_the_bar_wraps_between_words_and_the_bar_shrinks_back() -> None:
    from textual.app import App, ComposeResult
    from textual.reactive import reactive

    from tzcld_qual.tui.widgets.topbar import TopBar

    class Host(App[None]):
        CSS = "TopBar { height: 1; padding: 0 1; }"
        activity: reactive[str] = reactive("")

        def compose(self) -> ComposeResult:
            yield TopBar(id="topbar")

    app = Host()
    async with app.run_test(size=(80, 6)) as pilot:
        bar = app.query_one(TopBar)
        bar.set_place(PARTS, spare=2)
        bar.flash = "annulé : 99 décisions (F4, F4.confiance, F4.liens_sociaux, F7, F7.besoins, F2) " * 2
        await pilot.pause()
        lines = bar.render().plain.splitlines()
        assert bar.outer_size.height == len(lines) >= 3 and all(len(line) <= 78 for line in lines)
        assert " ".join(lines[1:]) == bar.flash.strip()
        bar.flash = ""
        await pilot.pause()
        assert bar.outer_size.height == 1 and bar.render().plain == PLACE


def test_the_top_bar_counts_wide_characters_as_two_columns() -> None:
    """Widths were ``len()``: a name in wide characters overflowed the bar."""
    from rich.cells import cell_len

    from tzcld_qual.tui.widgets.topbar import _fit

    place = "entretien-東京-郊外の町.srt · 15/17 · filtre : F1 · ensemble@1 · claire"
    for room in (30, 50, 60):
        assert cell_len(_fit(place, room)) <= room
    assert _fit(place, 60).endswith("… · 15/17 · filtre : F1 · ensemble@1 · claire")


async def test_a_message_never_pushes_out_part_of_a_filter_only_the_parts_said_to_give_way() -> None:
    """The bar took a place's last two « · » parts for the model and coder: beside a message,
    « filtre : F1 · en attente » lost its « en attente »."""
    parts = ["File d'apprentissage actif", "filtre : F1 · en attente", "alice"]
    text, height = await shown(100, activity=RETRAIN, parts=parts, spare=1)
    assert height == 1 and "filtre : F1 · en attente" in text and text.endswith(RETRAIN)
    text, height = await shown(80, activity=RETRAIN, parts=parts, spare=1)  # no room beside: a line of its own
    assert height == 2 and text.splitlines()[0].strip().endswith("filtre : F1 · en attente · alice")
