"""What stays: names the analyst needs (territories, national bodies) and places above the territory.

A territory is kept under its usual short forms too: "Les Coteaux-sur-Loire" also keeps
"Coteaux-sur-Loire", "les Coteaux" and "Coteaux"; places *inside* it (villages, lieux-dits,
streets) are replaced. Countries, regions, départements and large cities identify nobody and
are kept as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tzcld_qual.errors import InputError, Text
from tzcld_qual.privacy.normalize import ARTICLES, fold, tokens

DEFAULT_ALLOWED: tuple[str, ...] = (
    "Pôle emploi",
    "France Travail",
    "TZCLD",
    "Territoires zéro chômeur de longue durée",
    "Territoire zéro chômeur de longue durée",
    "Territoires zéro chômeur",
    "Territoire zéro chômeur",
    "zéro chômeur",
    "EBE",
    "ETCLD",
    "CLE",
    "CCAS",
    "CAF",
    "Mission locale",
    "ADMR",
    # national schemes and bodies named in every interview: they identify nobody
    "RSA",
    "SMIC",
    "RQTH",
    "CDI",
    "CDD",
    "Cap emploi",
    "CPAM",
    "URSSAF",
    "MSA",
    "ANPE",
    "ASSEDIC",
    "RMI",
    "AAH",
    "ESAT",
    "SIAE",
    "IAE",
    "PLIE",
    "Sécurité sociale",
    "Covid",
    "France Services",
    "La Poste",
    "carte Vitale",
    "Vitale",
    # everyday acronyms of trainings, schemes and national bodies
    "CPF",
    "CAP",
    "BEP",
    "BTS",
    "BAC",
    "ASS",
    "OPCO",
    "PMSMP",
    "FSL",
    "CACES",
    "EHPAD",
    "ONF",
    "EDF",
    "SNCF",
    "HLM",
    "APL",
    "CMU",
    "ESS",
    "SIAO",
    "PMI",
    "MDPH",
    "RTT",
    "CV",
    "IRM",
    "CP",
    "CE1",
    "CE2",
    "CM1",
    "CM2",
    "BAFA",
    "SST",
    "PSC1",
    "VAE",
    "DEJEPS",
    "BPJEPS",
    "CESU",
    "GRETA",
    "AFPA",
    "CNAM",
    "DREETS",
    "DDETS",
    "Préfecture",
    "Département",
    "Région",
    "Conseil départemental",
    "Conseil régional",
    "Fonds ETCLD",
    # national charities and bodies every interview may name: they identify nobody
    "Emmaüs",
    "Croix-Rouge",
    "Secours populaire",
    "Secours catholique",
    "Restos du cœur",
    "Restos du coeur",
    "Restaurants du cœur",
    "ATD Quart Monde",
    "Banque alimentaire",
    "Unédic",
    "Apprentis d'Auteuil",
    "Habitat et Humanisme",
    "PMU",
)

# Kept when found as places: they are above the level of a territory.
ABOVE_TERRITORY: frozenset[str] = frozenset(
    " ".join(tokens(name))
    for name in """
    France|Europe|Afrique|Asie|Amérique|Maghreb|Algérie|Maroc|Tunisie|Sénégal|Mali|Côte d'Ivoire|Cameroun|
    Portugal|Espagne|Italie|Belgique|Suisse|Allemagne|Angleterre|Royaume-Uni|Turquie|Pologne|Roumanie|
    Vietnam|Chine|Haïti|Comores|Madagascar|Congo|Guinée|Mauritanie|Syrie|Ukraine|Russie|Canada|
    Québec|États-Unis|Outre-mer|DOM-TOM|Guadeloupe|Martinique|Guyane|Réunion|La Réunion|Mayotte|Corse|
    Île-de-France|Ile-de-France|Bretagne|Normandie|Hauts-de-France|Grand Est|Bourgogne|Franche-Comté|
    Bourgogne-Franche-Comté|Centre-Val de Loire|Pays de la Loire|Nouvelle-Aquitaine|Aquitaine|Occitanie|
    Auvergne|Auvergne-Rhône-Alpes|Rhône-Alpes|Provence|Provence-Alpes-Côte d'Azur|PACA|Alsace|Lorraine|
    Picardie|Limousin|Poitou-Charentes|Languedoc|Midi-Pyrénées|Champagne|Ardennes|Savoie|Haute-Savoie|
    Vendée|Gironde|Loire|Loire-Atlantique|Maine-et-Loire|Sarthe|Mayenne|Anjou|Nord|Pas-de-Calais|Somme|
    Oise|Aisne|Seine-Saint-Denis|Val-de-Marne|Hauts-de-Seine|Essonne|Yvelines|Val-d'Oise|Seine-et-Marne|
    Meurthe-et-Moselle|Moselle|Vosges|Meuse|Marne|Aube|Jura|Doubs|Ain|Isère|Drôme|Ardèche|Rhône|
    Puy-de-Dôme|Allier|Cantal|Creuse|Corrèze|Dordogne|Lot|Lot-et-Garonne|Landes|Gers|Tarn|Aveyron|Lozère|
    Hérault|Gard|Aude|Pyrénées|Pyrénées-Orientales|Ariège|Haute-Garonne|Bouches-du-Rhône|Var|Vaucluse|
    Alpes-Maritimes|Alpes|Finistère|Morbihan|Côtes-d'Armor|Ille-et-Vilaine|Manche|Calvados|Orne|Eure|
    Seine-Maritime|Charente|Charente-Maritime|Vienne|Haute-Vienne|Deux-Sèvres|Indre|Indre-et-Loire|Cher|
    Loiret|Loir-et-Cher|Eure-et-Loir|Yonne|Nièvre|Côte-d'Or|Saône-et-Loire|Haute-Saône|Haute-Marne|
    Paris|Marseille|Lyon|Toulouse|Nice|Nantes|Montpellier|Strasbourg|Bordeaux|Lille|Rennes|Reims|Toulon|
    Saint-Étienne|Le Havre|Grenoble|Dijon|Angers|Nîmes|Villeurbanne|Clermont-Ferrand|Le Mans|Aix-en-Provence|
    Brest|Tours|Amiens|Limoges|Annecy|Perpignan|Metz|Besançon|Orléans|Rouen|Mulhouse|Caen|Nancy|Poitiers|
    Avignon|Pau|La Rochelle|Bayonne|Lorient|Quimper|Vannes|Saint-Nazaire|Cholet|Laval|Niort|Valence|
    Chambéry|Troyes|Calais|Dunkerque|Lens|Arras|Roubaix|Tourcoing|Colmar|Ajaccio|Bastia|Cayenne|
    Fort-de-France|Pointe-à-Pitre|Saint-Denis|Bamako|Dakar|Alger|Oran|Constantine|Casablanca|Rabat|Marrakech|
    Tunis|Abidjan|Kinshasa|Brazzaville|Douala|Yaoundé|Conakry|Niamey|Ouagadougou|Lisbonne|Porto|Madrid|Barcelone|
    Rome|Milan|Londres|Bruxelles|Genève|Lausanne|Berlin|Bucarest|Varsovie|Istanbul|Ankara|Moscou|Kiev|Kyiv|
    New York|Montréal|Pékin|Hanoï|Port-au-Prince|Beyrouth|Damas|Kaboul|Téhéran
    """.split("|")
)

_PARTS = re.compile(r"\s+[–—/]\s+|\s*[,;()]\s*")
_AREA = re.compile(
    r"^(?:quartiers?|commune|communes|ville|village|pays|communauté\s+de\s+communes|cc|agglomération|métropole|"
    r"secteur|canton|bassin|vallée|territoire)\s+(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])?",
    re.IGNORECASE,
)
_CONNECTORS = re.compile(r"-(?:sur|sous|les|lès|lez|en|de|du|des|la|le|aux|au)-", re.IGNORECASE)
_WORDS = re.compile(r"[\w'’.&]+(?:-[\w'’.&]+)*")


def territory_forms(name: str) -> set[str]:
    """The ways a territory is spoken of: "Les Coteaux-sur-Loire" → also "Coteaux", "les Coteaux"…"""
    name = " ".join(name.split())
    forms = {name}
    for part in _PARTS.split(name):  # "Villeneuve – quartier du Petit-Bois"
        if part.strip():
            forms |= {part.strip(), _AREA.sub("", part.strip())}
    words = name.split(" ")
    if len(words) > 1 and fold(words[0]) in ARTICLES:
        forms.add(" ".join(words[1:]))
    for form in list(forms):
        head = _CONNECTORS.split(form, maxsplit=1)[0]
        if head != form:
            forms.add(head)
            head_words = head.split(" ")
            if len(head_words) > 1 and fold(head_words[0]) in ARTICLES:
                forms.add(" ".join(head_words[1:]))
    return {f for f in forms if len(f) >= 2}


@dataclass(frozen=True, slots=True)
class AllowList:
    """Folded names to keep; :meth:`ranges` finds them in a text (whole words only)."""

    names: frozenset[str]

    @classmethod
    def build(cls, *, territories: Iterable[str] = (), words: Iterable[str] = (), defaults: bool = True) -> AllowList:
        names = set(DEFAULT_ALLOWED) if defaults else set()
        for territory in territories:
            names |= territory_forms(territory)
        names |= {w.strip() for w in words if w.strip()}
        return cls(frozenset(" ".join(tokens(n)) for n in names if tokens(n)))

    def allows(self, surface: str) -> bool:
        words = tokens(surface)
        while len(words) > 1 and words[0] in ARTICLES:
            words = words[1:]
        return " ".join(words) in self.names

    def ranges(self, text: str) -> list[tuple[int, int]]:
        """Spans of ``text`` that name an allowed entity."""
        if not self.names:
            return []
        return [(m.start(), m.end()) for m in self._pattern().finditer(fold(text))]

    def _pattern(self) -> re.Pattern[str]:
        return names_pattern(self.names)


@lru_cache(maxsize=16)
def names_pattern(names: frozenset[str]) -> re.Pattern[str]:
    """One regex for folded names as whole words (spaces and hyphens interchangeable), longest first."""
    alternatives = sorted(names, key=len, reverse=True)
    body = "|".join(r"[\s\-]+".join(re.escape(w) for w in name.split(" ")) for name in alternatives)
    return re.compile(f"(?<![\\w\\-])(?:{body})(?![\\w\\-])")


def read_allow_file(path: Path) -> list[str]:
    """One name per line; blank lines and ``#`` comments are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            Text("liste de noms à garder illisible : {why}", "cannot read the allow-list: {why}"),
            Text(
                "Donnez un fichier texte UTF-8, un nom par ligne.",
                "Give a UTF-8 text file, one name per line.",
            ),
            path=path,
            why=getattr(error, "strerror", None) or str(error),
        ) from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
