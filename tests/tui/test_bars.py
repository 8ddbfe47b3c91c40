"""``tui.widgets.bars``: the statistics screen's per-code table."""

from __future__ import annotations

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


async def test_a_long_message_leaves_the_top_bar_half_for_where_the_analyst_is() -> None:
    """« annulé : 99 décisions … » left « demo-0… · 3/18 · al… »; a retraining hid the feedback."""
    from textual.app import App, ComposeResult
    from textual.reactive import reactive

    from tzcld_qual.tui.widgets.topbar import TopBar

    class Host(App[None]):
        activity: reactive[str] = reactive("")

        def compose(self) -> ComposeResult:
            yield TopBar(id="topbar")

    app = Host()
    async with app.run_test(size=(80, 3)) as pilot:
        bar = app.query_one(TopBar)
        bar.place = "demo-01-salariee-coteaux-ressourcerie.txt · 3/18 n° 6 · ensemble@1 · alice"
        bar.flash = "annulé : 99 décisions (F4, F4.confiance, F4.liens_sociaux, F7, F7.besoins, F2) " * 2
        app.activity = "réentraînement…"
        await pilot.pause()
        line = bar.render().plain
        assert len(line) <= 80 and "3/18 n° 6" in line and "alice" in line
        assert "annulé : 99 décisions" in line and line.endswith("…")
        bar.flash = "F4 accepté"
        await pilot.pause()
        assert bar.render().plain.endswith("F4 accepté · réentraînement…")
