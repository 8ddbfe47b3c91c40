"""The fake lookup lemmatizer's table (a module of its own so tests can patch it)."""

LEMMAS = {
    "droits": "droit", "ai": "avoir", "a": "avoir", "avais": "avoir", "as": "avoir",
    "connais": "connaître", "connaissais": "connaître", "savais": "savoir", "sais": "savoir",
    "suis": "être", "est": "être", "es": "être", "fières": "fier", "fière": "fier", "fiers": "fier",
    "mutuelles": "mutuelle", "expliqué": "expliquer", "expliquée": "expliquer",
    "salariés": "salarié", "embauches": "embauche", "embauché": "embaucher",
    "factures": "facture", "payé": "payer", "paie": "payer", "payons": "payer",
}
