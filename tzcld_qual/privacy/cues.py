"""Context rules for names the small NER model misses in spoken French.

A capitalised word after a title ("Mme Martin", "monsieur Durand"), a relation ("ma collègue
Nadia", "mon conseiller, Farid") or a naming phrase ("moi c'est Sylvie") is a person; a known
first name (:mod:`~tzcld_qual.privacy.firstnames`) with the capitalised words after it is a
person; a capitalised word after "lieu-dit", "hameau", "quartier", "habite à"… is a place, after
"chez", "l'entreprise", "l'association"… an organisation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tzcld_qual.privacy.firstnames import AMBIGUOUS, FIRST_NAMES
from tzcld_qual.privacy.normalize import fold
from tzcld_qual.privacy.spans import CONTEXT, CUE, GAZETTEER, Found, Kind

_UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"
_CAP = rf"[{_UP}][\w'’]*(?:-[\w'’]+)*"  # "Martin", "Jean-Pierre", "O'Neil", "Le" (one way to match: no backtracking)
_INITIAL = rf"[{_UP}]\.(?:\s?-?[{_UP}]\.)*"  # "D.", "J.-P."
_PARTICLE = r"(?:de|du|d['’]|van|von|ben|ibn|el|al|da|dos|di)\s*"
_NAME = rf"(?:{_PARTICLE})?(?:{_CAP}|{_INITIAL})(?:\s+(?:{_PARTICLE})?(?:{_CAP}|{_INITIAL})){{0,2}}"

# Words that are never a name, even capitalised (sentence starts, roles, institutions).
NOT_NAMES = frozenset(
    """
    ah ainsi alors apres au aussi autrement avant avec bah ben bien bon bonjour bonsoir bref ca ce cela
    celle celui ces cet cette chez comme comment d'accord dans de des donc du elle elles en enfin entre
    et euh eux hein hm hmm il ils je jusqu'a la le les leur lui ma mais maintenant me merci mes moi mon
    ne ni non nos notre nous on ou oui ouais par parce pas peut-etre plus pour pourquoi puis quand que
    quel quelle qui quoi sa sans se ses si sinon son sur ta te tes toi ton tous tout toute tu un une vos
    votre vous voila voici y oh ok okay euh hum eh bah bof tiens voyez disons mouais pfff
    maire maires prefet prefete president presidente directeur directrice depute deputee senateur
    senatrice adjoint adjointe conseiller conseillere ministre docteur maitre madame monsieur mademoiselle
    elu elue equipe projet comite commission conseil mairie departement region etat gouvernement
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin juillet aout
    septembre octobre novembre decembre noel paques toussaint dieu covid internet facebook whatsapp
    enqueteur enqueteuse enquetrice intervieweur intervieweuse chercheur chercheuse animateur animatrice
    m mme mmes mlle mr dr pr
    """.split()
)

TITLE = re.compile(
    r"(?<![\w.])(?:M\.|Mr\.?|MM\.|(?i:mme|mmes|mlle|madame|monsieur|mademoiselle|docteure?|dr\.?|ma[iî]tre|me|pr\.?))"
    rf"\s+(?P<name>{_NAME})"
)
_RELATIONS = (
    "collègue|collegue|conseill[eè]re|conseiller|mari|femme|épouse|epouse|époux|epoux|compagne|compagnon|"
    "fille|fils|frère|frere|sœur|soeur|soeur|mère|mere|père|pere|voisine?|cheffe?|encadrante?|référente?|"
    "referente?|copain|copine|amie?|patronne?|responsable|tuteur|tutrice|cousine?|neveu|nièce|niece|"
    "belle-sœur|belle-soeur|beau-frère|beau-frere|petite?-fille|petit-fils|gendre|belle-fille|belle-mère|"
    "beau-père|directeur|directrice|assistante?\\s+sociale?|éducat(?:rice|eur)|educat(?:rice|eur)|médecin|"
    "medecin|coach|format(?:rice|eur)|binôme|binome|accompagnat(?:rice|eur)|animat(?:rice|eur)|"
    "coordinat(?:rice|eur)|présidente?|presidente?|camarade|pote|gamin|gamine|petite?|homme|belle-fille|"
    "mamie|papi|tante|oncle|parrain|marraine|filleule?|nounou|kiné|kine|infirmi[eè]re?"
)
_RELATION = re.compile(
    rf"(?i:\b(?:ma|mon|notre|nos|sa|son|leur|ta|ton|une|un|la|le|l['’])\s+(?:{_RELATIONS})s?)\s*,?\s+(?P<name>{_NAME})"
)
_NAMING = re.compile(
    rf"(?i:\b(?:je\s+m['’]appelle|(?:il|elle|on)\s+(?:s['’]appelle|l['’]appelait|l['’]appelle)|s['’]appelait|"
    rf"(?:moi|lui|elle|ça|ca),?\s+c['’]est|prénommée?|prenommee?|dénommée?|denommee?|nommée?|alias|dite?)\s+)"
    rf"(?P<name>{_NAME})"
)
_WORD = re.compile(rf"{_CAP}")
_FOLLOWER = re.compile(rf"[ \t]+(?P<name>(?:{_PARTICLE})?{_CAP})")
_CONNECTOR = r"(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’]|les\s+|la\s+|le\s+|l['’])"
_RUN = rf"{_CAP}(?:[\s-]+(?:(?:de|du|des|la|le|les|sur|sous|en|aux|et|l['’]|d['’])[\s-]*)?{_CAP}){{0,3}}"
_PLACE = re.compile(
    r"(?i:\b(?:lieu-?dit|hameau|quartier|village|commune|bourg|cité|cite|résidence|residence|lotissement|"
    r"zone\s+artisanale|zone\s+industrielle|zone\s+d['’]activités?|ZA|ZI|ZAC|"
    r"habit(?:e|es|ons|ez|ent|ais|ait|é|ée)(?:\s+(?:à|a|au|aux|sur))?|"
    r"à|vers|près\s+de|pres\s+de|vien(?:s|t|nent)\s+de|venait\s+de|du\s+côté\s+de|du\s+cote\s+de|n[ée]e?\s+à|originaire\s+de|venu[e]?s?\s+de|"
    r"déménagé\s+à|demenage\s+a|installée?s?\s+à|mairie|gare|église|eglise|pont|forêt|foret|étang|etang|"
    r"vallée|vallee))\s+" + rf"{_CONNECTOR}?(?P<name>{_RUN})"
)
_ORG_WORDS = (
    r"entreprise|société|societe|association|asso|usine|magasin|boîte|boite|cabinet|restaurant|"
    r"supermarché|supermarche|coopérative|cooperative|ferme|exploitation|club|collectif|enseigne|"
    r"fondation|atelier|auto-école|école|ecole|collège|college|lycée|lycee|clinique|hôpital|hopital|"
    r"ehpad|épicerie|epicerie|boulangerie|garage|camping|chantier|GAEC|EARL|SARL|SAS|SCOP|SCIC|EURL|SCEA|SA"
)
# Shops, whose names are often everyday words: « la pharmacie Vidalenc », « le café Le Central »
_SHOP_WORDS = (
    r"pharmacie|boucherie|charcuterie|café|bar|brasserie|bistrot|tabac|pressing|quincaillerie|librairie|"
    r"fleuriste|traiteur|auberge|hôtel|salon"
)
# Public services and facilities: "la mission locale de Riom", "le CCAS d'Yzeure" name the town.
_INSTITUTIONS = (
    r"mission\s+locale|CCAS|CIAS|CAF|CPAM|MSA|AFPA|GRETA|CMP|PMI|MDPH|agence|antenne|permanence|"
    r"préfecture|prefecture|sous-préfecture|sous-prefecture|tribunal|prison|maison\s+d['’]arrêt|"
    r"maison\s+d['’]arret|commissariat|gendarmerie|caserne|médiathèque|mediatheque|bibliothèque|"
    r"bibliotheque|piscine|stade|marché|paroisse|centre\s+social|centre\s+socio-?culturel|"
    r"maison\s+de\s+quartier|maison\s+des\s+solidarités|maison\s+des\s+solidarites|MJC|foyer|"
    r"Pôle\s+emploi|Pole\s+emploi|France\s+Travail|hôtel\s+de\s+ville|hotel\s+de\s+ville"
)
# What follows « de » after a service when it names the kind of service, not a town.
_SERVICE_KINDS = frozenset(
    "grande instance|instance|vie|interim|quartier|proximite|sante|jeunes|jeunesse|emploi|famille|familles|"
    "solidarite|solidarites|nuit|jour|garde|commerce|travail|insertion|ville|police|secours|soins|"
    "l'emploi|france|france travail|pole emploi|la poste|poste|region|departement|l'etat|etat".split("|")
)
_INSTITUTION_PLACE = re.compile(rf"(?i:\b(?:{_INSTITUTIONS})\s+(?:de\s+|d['’]|du\s+))(?P<name>{_RUN})")
# "le centre social Les Tilleuls", "la maison de quartier Jacques Prévert" name the place itself
_FACILITY = re.compile(
    r"(?i:\b(?:centre\s+social|centre\s+socio-?culturel|maison\s+de\s+quartier|MJC|foyer|médiathèque|"
    rf"mediatheque|salle|gymnase))\s+(?P<name>{_RUN})"
)
# "l'usine Sotrelec" names the firm; "l'usine de Vaudrecourt" names the place
_ORGANISATION = re.compile(
    rf"(?i:\b(?:chez|{_ORG_WORDS}))\s+(?:de\s+la\s+|des\s+|du\s+)?(?P<name>{_RUN})"  # "le GAEC des Trois Chênes"
)
_ORG_PLACE = re.compile(rf"(?i:\b(?:{_ORG_WORDS})\s+(?:de\s+|d['’]|du\s+))(?P<name>{_RUN})")
_SHOP = re.compile(rf"(?i:\b(?:{_SHOP_WORDS}))\s+(?:de\s+la\s+|des\s+|du\s+)?(?P<name>{_RUN})")
_SHOP_PLACE = re.compile(rf"(?i:\b(?:{_SHOP_WORDS})\s+(?:de\s+|d['’]|du\s+))(?P<name>{_RUN})")
_ARTICLE = re.compile(r"(?:Le|La|Les|L['’])\b")
_NUMBER_WORD = (
    r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|"
    r"trente|quarante|cinquante|soixante|cent)"
)
_AGE = re.compile(  # "Tiago, dix-neuf ans"
    rf"(?P<name>{_CAP}(?:\s+{_CAP})?),\s+(?:\d{{1,3}}|{_NUMBER_WORD}(?:[\s-](?:et[\s-])?{_NUMBER_WORD})*)\s+ans\b"
)
_RELATION_AFTER = re.compile(
    rf"(?P<name>{_CAP}(?:\s+{_CAP})?),\s+(?i:(?:mon|ma|notre|son|sa|leur|ton|ta)\s+(?:{_RELATIONS})s?)\b"
)


def find_cues(text: str, everyday: Callable[[str], bool] | None = None) -> list[Found]:
    """Persons, places and organisations found by their context (see the module docstring).

    ``everyday`` tells a dictionary word: after a facility, a public service or a shop, a name
    made of such words only (« la salle Polyvalente », « le tribunal de Grande Instance », « le
    tabac Presse ») is a capitalised common noun, not a name, unless an article opens it (« le
    centre social Les Tilleuls », « le café Le Central »)."""
    found: list[Found] = []
    for pattern, kind, priority, weak in (
        (TITLE, Kind.PERSONNE, CUE, False),
        (_RELATION, Kind.PERSONNE, CUE, False),
        (_NAMING, Kind.PERSONNE, CUE, False),
        (_AGE, Kind.PERSONNE, CUE, False),
        (_RELATION_AFTER, Kind.PERSONNE, CUE, False),
        (_PLACE, Kind.LIEU, CONTEXT, False),
        (_ORG_PLACE, Kind.LIEU, CONTEXT, False),
        (_INSTITUTION_PLACE, Kind.LIEU, CONTEXT, False),  # « de Moulins », « de Vichy »: towns, even if words
        (_FACILITY, Kind.LIEU, CONTEXT, True),
        (_SHOP_PLACE, Kind.LIEU, CONTEXT, True),
        (_ORGANISATION, Kind.ORGANISATION, CONTEXT, False),
        (_SHOP, Kind.ORGANISATION, CONTEXT, True),
    ):
        for match in pattern.finditer(text):
            start, end = _name_span(text, match.start("name"), match.end("name"))
            if end <= start:
                continue
            if pattern is _INSTITUTION_PLACE and fold(text[start:end]) in _SERVICE_KINDS:
                continue  # « le tribunal de Grande Instance », « l'agence d'Intérim »: a kind of service
            if weak and everyday is not None and _common_noun(text[start:end], everyday):
                continue
            found.append(Found(start, end, kind, priority))
    found += find_first_names(text)
    return found


def _common_noun(name: str, everyday: Callable[[str], bool]) -> bool:
    if _ARTICLE.match(name):
        return False
    words = [w for w in re.split(r"[\s'’-]+", name) if w and fold(w) not in _PARTICLES]
    return all(everyday(w) and not is_first_name(w) for w in words)


def _name_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop the words of the run that are never names ("Mme Durand Alors" → "Durand")."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    kept = 0
    for index, (w_start, w_end) in enumerate(words):
        surface = text[w_start:w_end]
        word = fold(surface).strip(".,;:!?")
        if word in NOT_NAMES and surface[:1].isupper() and not is_particle(surface, index, len(words)):
            break
        kept += 1
    if not kept:
        return start, start
    return words[0][0], words[kept - 1][1]


_PARTICLES = frozenset({"le", "la", "les", "de", "du", "des", "van", "von", "ben", "el", "al", "da", "di"})


def is_particle(word: str, index: int, count: int) -> bool:
    """A capitalised particle inside a name: "Le Goff", "La Boissière", "Nolwenn Le Bihan"."""
    return index < count - 1 and word[:1].isupper() and fold(word) in _PARTICLES


def is_first_name(word: str) -> bool:
    parts = fold(word).replace("’", "'").split("-")
    return all(p in FIRST_NAMES for p in parts if p) and any(parts)


def find_first_names(text: str) -> list[Found]:
    """Known first names, with the capitalised surname that follows them ("Sylvie Martin")."""
    found: list[Found] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if not is_first_name(word) or (match.start() > 0 and text[match.start() - 1] == "-"):
            continue
        end = match.end()
        for _ in range(2):  # up to two surname words: "Marie Le Goff", "Jean DUPONT"
            follower = _FOLLOWER.match(text, end)
            if not follower or fold(follower.group("name")).strip("'’") in NOT_NAMES:
                break
            end = follower.end()
        if end == match.end() and fold(word) in AMBIGUOUS:
            continue
        found.append(Found(match.start(), end, Kind.PERSONNE, GAZETTEER))
    return found
