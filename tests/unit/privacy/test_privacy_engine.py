"""Detection and replacement: what goes, what stays, and consistency across documents."""

from __future__ import annotations

from tzcld_qual.privacy.mapping import PseudonymMap
from tzcld_qual.privacy.pseudonymizer import Source


def run_one(engine, text: str, boundaries=(), labels=()):  # type: ignore[no-untyped-def]
    return engine.run([Source(text, tuple(boundaries), tuple(labels))])[0]


def test_names_places_orgs_and_contacts_replaced(make_engine) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine({"Montclar": "LOC", "Jean-Pierre Durand": "PER", "Berthelot": "ORG"})
    text = (
        "Je suis née le 3 mars 1971 à Montclar. J'ai bossé chez Berthelot avec Jean-Pierre Durand et "
        "Mme Lefèvre. Mon numéro : 06 12 34 56 78, mon mail : s.m@free.fr."
    )
    out = run_one(engine, text).rewritten.text
    assert out == (
        "Je suis née le [DATE_NAISSANCE_1] à [LIEU_1]. J'ai bossé chez [ORGANISATION_1] avec [PERSONNE_1] et "
        "Mme [PERSONNE_2]. Mon numéro : [TELEPHONE_1], mon mail : [EMAIL_1]."
    )


def test_allow_list_territory_and_places_above_it_are_kept(make_engine) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(
        {
            "Saint-Aubin": "LOC",
            "Pôle emploi de Saint-Aubin": "ORG",
            "Paris": "LOC",
            "Vernay": "LOC",
            "La Fabrique": "ORG",
        },
        territories=["Saint-Aubin-les-Forges"],
        allow=["La Fabrique"],
    )
    text = (
        "Je vais au Pôle emploi de Saint-Aubin, puis à l'EBE, au CCAS et à la CAF. Ma fille vit à Paris, "
        "moi à Vernay, je travaille à La Fabrique. TZCLD, France Travail, la Mission locale et l'ADMR aussi."
    )
    out = run_one(engine, text).rewritten.text
    assert out == text.replace("Vernay", "[LIEU_1]")


def test_the_same_entity_gets_the_same_placeholder_across_documents(make_engine) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine({"Céline Dupuis": "PER"})
    first, second = engine.run(
        [
            Source(
                "Enquêtrice : Qui ?\n\nSylvie : Céline Dupuis, de l'équipe.", (13, 17, 28, 56), ("Enquêtrice", "Sylvie")
            ),
            Source("Mme Dupuis est passée. Céline aussi, et Sylvie.", ()),
        ]
    )
    assert first.rewritten.text == "Enquêtrice : Qui ?\n\n[PERSONNE_1] : [PERSONNE_2], de l'équipe."
    assert second.rewritten.text == "Mme [PERSONNE_2] est passée. [PERSONNE_2] aussi, et [PERSONNE_1]."
    assert first.labels == {"Enquêtrice": "Enquêtrice", "Sylvie": "[PERSONNE_1]"}


def test_a_surname_greeted_first_and_the_speakers_first_name_are_one_person(make_engine) -> None:  # type: ignore[no-untyped-def]
    """« Bonjour Madame Moreau » before « Nathalie : je suis Nathalie Moreau » gave her two placeholders."""
    engine = make_engine({"Nathalie Moreau": "PER"})
    text = "Enquêtrice : Bonjour Madame Moreau.\n\nNathalie : Bonjour. Je suis Nathalie Moreau."
    result = run_one(engine, text, (0, 35, 37, len(text)), ("Enquêtrice", "Nathalie"))
    assert result.rewritten.text == (
        "Enquêtrice : Bonjour Madame [PERSONNE_1].\n\n[PERSONNE_1] : Bonjour. Je suis [PERSONNE_1]."
    )
    assert result.labels["Nathalie"] == "[PERSONNE_1]"
    assert [e.placeholder for e in engine.mapping.entities] == ["[PERSONNE_1]"]


def test_social_security_numbers_handles_and_links_that_name_someone_are_replaced(make_engine) -> None:  # type: ignore[no-untyped-def]
    """The NIR, « @nath_faure49 » and « facebook.com/nathalie.faure.49 » stayed in clear."""
    engine = make_engine({"Nathalie Faure": "PER"})
    text = (
        "Je suis Nathalie Faure. Mon numéro de sécu c'est 2 71 05 49 123 456 78. Ma page c'est "
        "facebook.com/nathalie.faure.49, mon pseudo @nath_faure49, mon site www.nathaliefaure.fr ; "
        "celui de l'EBE, tzcld.fr."
    )
    assert run_one(engine, text).rewritten.text == (
        "Je suis [PERSONNE_1]. Mon numéro de sécu c'est [NUMERO_SECU_1]. Ma page c'est "
        "[LIEN_1], mon pseudo [COMPTE_1], mon site [LIEN_2] ; celui de l'EBE, tzcld.fr."
    )


def test_a_name_seen_once_is_replaced_everywhere(make_engine) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine({"Vernoux": "LOC"})  # the NER sees it in one document only
    texts = ["On a un chantier à Vernoux.", "Vernoux, c'est loin.", "Les gens de Vernoux viennent."]
    outs = [r.rewritten.text for r in engine.run([Source(t) for t in texts[:1]] + [Source(t) for t in texts[1:]])]
    assert outs == ["On a un chantier à [LIEU_1].", "[LIEU_1], c'est loin.", "Les gens de [LIEU_1] viennent."]


def test_no_replacement_straddles_a_boundary(make_engine) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine({"Paul Martin": "PER"})
    text = "Il y avait Paul Martin ce jour-là."
    cut = text.index("Martin")  # a segment ends between the first name and the surname
    result = run_one(engine, text, boundaries=(0, cut, len(text)))
    assert result.rewritten.text == "Il y avait [PERSONNE_1] Martin ce jour-là."
    assert result.rewritten.position(cut) == result.rewritten.text.index("Martin")


def test_running_twice_changes_nothing_more(make_engine) -> None:  # type: ignore[no-untyped-def]
    mapping = PseudonymMap()
    engine = make_engine({"Montclar": "LOC", "PERSONNE_1": "PER", "LIEU_1": "LOC"}, mapping=mapping)
    once = run_one(engine, "Sylvie habite à Montclar.").rewritten.text
    twice = run_one(make_engine({"PERSONNE_1": "PER"}, mapping=mapping), once).rewritten.text
    assert once == twice == "[PERSONNE_1] habite à [LIEU_1]."


def test_ner_mistakes_on_spoken_french_are_filtered(make_engine) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(
        {
            "Bizarre": "PER",
            "Merci Céline": "PER",
            "Sud": "LOC",
            "Enquêtrice": "PER",
            "Tremplin Emploi": "PER",
            "Sotrelec de Vaudrecourt": "ORG",
            "Hm": "PER",
        }
    )
    text = (
        "Enquêtrice : Bizarre. Merci Céline. Hm. Il est parti dans le Sud. Avec Tremplin Emploi et "
        "Sotrelec de Vaudrecourt."
    )
    out = run_one(engine, text, labels=("Enquêtrice",)).rewritten.text
    assert out == (
        "Enquêtrice : Bizarre. Merci [PERSONNE_1]. Hm. Il est parti dans le Sud. Avec [ORGANISATION_1] et "
        "[ORGANISATION_2] de [LIEU_1]."
    )


def test_placeholders_already_in_the_text_are_never_reused(make_engine) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine()  # a fresh table, on a text pseudonymised with another one
    out = run_one(engine, "[PERSONNE_1] et [PERSONNE_7] ont vu Sylvie.").rewritten.text
    assert out == "[PERSONNE_1] et [PERSONNE_7] ont vu [PERSONNE_8]."


def test_a_verb_glued_to_a_name_never_becomes_a_name(make_engine) -> None:  # type: ignore[no-untyped-def]
    """« C'était Didier, mon collègue » made « C'était » one of Didier's names, then replaced
    everywhere (« [PERSONNE_32] quand ? »). An elided pronoun before a verb is no name, whoever
    found it; nor are everyday hyphenated words the NER tags (« Allez-y », « Aide-soignante »)."""
    engine = make_engine(
        {"C'était Didier": "PER", "Allez-y": "PER", "Aide-soignante": "PER", "N'Diaye": "PER", "M'hamed": "PER"}
    )
    texts = [
        "Non. C'était Didier, mon collègue. Allez-y. Aide-soignante de métier. Mme N'Diaye aussi.",
        "C'était quand ? C'était l'idée de Didier. Avec Fatou N'diaye, et M'hamed. Le chef c'est Ahmed M'barek.",
    ]
    out = [r.rewritten.text for r in engine.run([Source(t) for t in texts])]
    assert out == [
        "Non. C'était [PERSONNE_1], mon collègue. Allez-y. Aide-soignante de métier. Mme [PERSONNE_2] aussi.",
        "C'était quand ? C'était l'idée de [PERSONNE_1]. Avec [PERSONNE_2], et [PERSONNE_3]. Le chef c'est "
        "[PERSONNE_4].",  # Fatou N'diaye is Mme N'Diaye: one surname, nothing against it
    ]


def test_elision_happens_before_a_vowel_only(make_engine) -> None:  # type: ignore[no-untyped-def]
    """« M'baye » stayed readable (« baye » is a form of « bayer »), and the NER's « J'y » became a
    person: French elides only before a vowel or a mute h."""
    engine = make_engine({"Mamadou M'baye": "PER", "J'y": "PER", "N'en": "PER"})
    out = run_one(engine, "Mamadou M'baye est venu. J'y vais avec lui. N'en parlons plus.").rewritten.text
    assert out == "[PERSONNE_1] est venu. J'y vais avec lui. N'en parlons plus."


def test_services_facilities_and_shops_name_a_place_or_a_firm_not_a_common_noun(make_engine) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine({})
    kept = (
        "une permanence de La Poste le lundi, la salle Polyvalente, le gymnase Municipal, le tribunal de Grande "
        "Instance, le foyer de Vie, l'agence d'Intérim, le salon de Coiffure, le tabac Presse, ça marche de Nouveau."
    )
    assert run_one(engine, kept).rewritten.text == kept
    named = "le centre social Les Tilleuls, le café Le Central, la pharmacie Vidalenc, la mission locale de Riom."
    assert run_one(make_engine({}), named).rewritten.text == (
        "le centre social [LIEU_1], le café [ORGANISATION_1], la pharmacie [ORGANISATION_2], la mission locale "
        "de [LIEU_2]."
    )
    towns = "la mission locale de Moulins, le CCAS de Cognac, la permanence de Vichy"  # towns that are words too
    assert run_one(make_engine({}), towns).rewritten.text == (
        "la mission locale de [LIEU_1], le CCAS de [LIEU_2], la permanence de [LIEU_3]"
    )


def test_national_charities_are_kept(make_engine) -> None:  # type: ignore[no-untyped-def]
    """The NER took Emmaüs for a person and « Croix-Rouge » for a place: they identify nobody."""
    engine = make_engine({"Emmaüs": "PER", "Croix-Rouge": "LOC", "ATD Quart Monde": "ORG", "Unédic": "ORG"})
    text = "Emmaüs récupère nos meubles, la Croix-Rouge aide le mardi, ATD Quart Monde et l'Unédic aussi."
    assert run_one(engine, text).rewritten.text == text


def test_a_thing_after_an_indefinite_article_is_no_person(make_engine) -> None:  # type: ignore[no-untyped-def]
    """« J'ai une petite Clio, d'occasion » became « J'ai une petite [PERSONNE_93] » in a validated
    quote: « petite » read as a relation (« ma petite Léa ») and the NER's « Clio » as a person.
    After « un »/« une » (and an adjective) a capitalised word is a thing; with a definite or
    possessive article, or when it is a known first name, it is still a person."""
    engine = make_engine({"Clio": "PER", "Kangoo": "PER", "Benali": "PER"})
    text = (
        "J'ai une petite Clio, d'occasion. Lui, il a une Clio et un vieux Kangoo. La petite Léa est venue, "
        "mon petit Lucas aussi, et un petit Kevin. Un collègue, Benali, aussi."
    )
    out = run_one(engine, text).rewritten.text
    assert out == (
        "J'ai une petite Clio, d'occasion. Lui, il a une Clio et un vieux Kangoo. La petite [PERSONNE_1] est "
        "venue, mon petit [PERSONNE_2] aussi, et un petit [PERSONNE_3]. "
        "Un collègue, [PERSONNE_4], aussi."
    )


def test_the_same_initials_in_two_interviews_are_two_people(make_engine) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine()
    texts = ["E1 : Bonjour Mme D.\n\nMme D. : Bonjour.", "E : Merci.\n\nMme D. : Je vous en prie."]
    first, second = engine.run(
        [
            Source(texts[0], (0, 19, 21, len(texts[0])), ("E1", "Mme D."), "demo-07.vtt"),
            Source(texts[1], (0, 9, 11, len(texts[1])), ("E", "Mme D."), "demo-13.md"),
        ]
    )
    assert first.rewritten.text == "E1 : Bonjour Mme [PERSONNE_1]\n\nMme [PERSONNE_1] : Bonjour."
    assert first.labels["Mme D."] == "Mme [PERSONNE_1]" and second.labels["Mme D."] == "Mme [PERSONNE_2]"
