"""Extraction rules on short sentences written for the tests.

Each test gives a sentence or two and the full list of facts the extractor must read
from it, as (relation, subject, object, status, claimant) rows, sorted. Labels are the
lexicon's canonical ones (``states.tsv``, ``weapons.tsv``, ``laws.tsv`` ...).
"""

from __future__ import annotations

import pytest

from geokg.articles import make_document
from geokg.extract import extract_facts
from geokg.model import Fact

Row = tuple[str, str, str, str, str | None]


def read(text: str, date: str | None = None) -> list[Fact]:
    return extract_facts(make_document(text, date=date))


def rows(facts: list[Fact]) -> list[Row]:
    found = [
        (
            f.relation,
            f.subject.label,
            f.object_label,
            f.status,
            f.claimant.label if f.claimant else None,
        )
        for f in facts
    ]
    return sorted(found, key=lambda row: tuple(cell or "" for cell in row))


def facts_of(text: str, date: str | None = None) -> list[Row]:
    return rows(read(text, date))


# ---- arms: acquisition, supply, delivery ------------------------------------------------


def test_purchase_verb_with_supplier() -> None:
    assert facts_of("India bought 36 Rafale fighter jets from France.") == [
        ("acquires", "India", "Rafale", "reported", None),
        ("supplies", "France", "India", "reported", None),
    ]


def test_purchase_noun_with_possessor_and_supplier() -> None:
    text = "Poland's purchase of K2 tanks from South Korea was completed in 2022."
    assert facts_of(text) == [
        ("acquires", "Poland", "K2 Black Panther", "reported", None),
        ("supplies", "South Korea", "Poland", "reported", None),
    ]


def test_order_in_the_passive_names_the_buyer_in_the_by_phrase() -> None:
    assert facts_of("Thirty Rafale jets were ordered by Egypt.") == [
        ("acquires", "Egypt", "Rafale", "reported", None),
    ]


def test_sale_verb_gives_supply_and_acquisition() -> None:
    assert facts_of("France sold 24 Rafale jets to Croatia.") == [
        ("acquires", "Croatia", "Rafale", "reported", None),
        ("supplies", "France", "Croatia", "reported", None),
    ]


def test_sale_noun_seller_is_the_subject_of_the_governing_verb() -> None:
    assert facts_of("Washington approved the sale of 32 F-35 jets to Poland.") == [
        ("acquires", "Poland", "F-35", "reported", None),
        ("supplies", "United States", "Poland", "reported", None),
    ]


def test_requested_sale_is_an_expected_acquisition() -> None:
    text = "Poland has requested a possible sale of 96 AH-64 Apache helicopters."
    assert facts_of(text) == [
        ("acquires", "Poland", "AH-64 Apache", "expected", None),
    ]


def test_items_of_a_semicolon_list_are_all_acquired() -> None:
    text = (
        "Poland has requested to buy forty-eight (48) M142 High Mobility Artillery "
        "Rocket Systems (HIMARS); ninety (90) AH-64 Apache helicopters; and twelve (12) "
        "Patriot air defense systems."
    )
    assert facts_of(text) == [
        ("acquires", "Poland", "AH-64 Apache", "expected", None),
        ("acquires", "Poland", "M142 HIMARS", "expected", None),
        ("acquires", "Poland", "Patriot", "expected", None),
    ]


def test_a_semicolon_list_of_a_requested_sale() -> None:
    text = (
        "Romania has requested a possible sale of 96 AH-64 Apache helicopters; "
        "24 M142 HIMARS launchers; and 300 Javelin missiles."
    )
    assert facts_of(text) == [
        ("acquires", "Romania", "AH-64 Apache", "expected", None),
        ("acquires", "Romania", "Javelin", "expected", None),
        ("acquires", "Romania", "M142 HIMARS", "expected", None),
    ]


@pytest.mark.parametrize(
    "second",
    [
        # a clause of its own, and a clause whose verb is left out
        "Romania later ordered M142 HIMARS launchers",
        "Romania, 54 M1A2 Abrams tanks",
    ],
)
def test_a_clause_after_a_semicolon_is_not_an_item(second: str) -> None:
    text = f"Poland bought 96 AH-64 Apache helicopters; {second}."
    found = facts_of(text)
    assert ("acquires", "Poland", "AH-64 Apache", "reported", None) in found
    assert [row for row in found if row[1] == "Poland"] == [
        ("acquires", "Poland", "AH-64 Apache", "reported", None)
    ]


@pytest.mark.parametrize(
    ("text", "supplier", "recipient"),
    [
        (
            "Germany blocked the sale of Leopard 2 tanks to Saudi Arabia.",
            "Germany",
            "Saudi Arabia",
        ),
        ("The United States prohibited arms sales to Cuba.", "United States", "Cuba"),
        (
            "Washington halted deliveries of F-16 jets to Turkey.",
            "United States",
            "Turkey",
        ),
        ("Canada suspended the export of drone parts to Turkey.", "Canada", "Turkey"),
    ],
)
def test_a_blocked_or_halted_sale_is_a_refusal_not_a_sale(
    text: str, supplier: str, recipient: str
) -> None:
    assert facts_of(text) == [("refusesToSell", supplier, recipient, "reported", None)]


def test_a_ban_on_trade_that_is_not_arms_is_no_refusal_to_sell() -> None:
    assert facts_of("The European Union banned exports of oil to Syria.") == []


def test_member_states_required_to_prevent_arms_exports() -> None:
    text = (
        "The resolution requires all UN member states to prevent imports from or "
        "exports to Iran of missiles and missile-related items."
    )
    assert facts_of(text) == [
        ("refusesToSell", "United Nations member states", "Iran", "expected", None)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Poland signed a deal for 96 AH-64 Apache helicopters with the United States.",
            [
                ("acquires", "Poland", "AH-64 Apache", "reported", None),
                ("supplies", "United States", "Poland", "reported", None),
            ],
        ),
        (
            "Qatar placed an order for 24 Rafale jets.",
            [("acquires", "Qatar", "Rafale", "reported", None)],
        ),
        (
            # the state whose industry makes the system is the seller
            "India and France sealed a deal for 26 Rafale jets.",
            [
                ("acquires", "India", "Rafale", "reported", None),
                ("supplies", "France", "India", "reported", None),
            ],
        ),
        (
            "The deal for S-400 missiles was signed by Turkey in 2017.",
            [("acquires", "Turkey", "S-400", "reported", None)],
        ),
        # a company that signs a contract is not buying
        ("Lockheed Martin signed a contract for F-35 jets with Poland.", []),
    ],
)
def test_who_signs_a_contract_for_weapons_buys_them(
    text: str, expected: list[Row]
) -> None:
    assert facts_of(text) == expected


NOTICE = (
    "The State Department has made a determination approving a possible sale to "
    "Norway of twelve K9 howitzers. "
)


def test_who_makes_a_determination_approving_a_sale_supplies() -> None:
    assert facts_of(NOTICE) == [
        ("acquires", "Norway", "K9 Thunder", "expected", None),
        ("supplies", "United States", "Norway", "expected", None),
    ]


def test_what_a_notice_says_of_its_proposed_sale_is_the_sellers_statement() -> None:
    text = NOTICE + "The proposed sale will not alter the basic military balance."
    assert (
        "statesThat",
        "United States",
        "The proposed sale will not alter the basic military balance",
        "claimed",
        "United States",
    ) in facts_of(text)


@pytest.mark.parametrize(
    "second",
    [
        "The proposed sale includes spare parts.",  # a fact, read by its own rule
        "The sale was completed in 2020.",  # not the proposed sale
        "Critics said the proposed sale was too costly.",  # someone else's view
    ],
)
def test_other_sentences_about_a_sale_are_no_assessment(second: str) -> None:
    assert [row for row in facts_of(NOTICE + second) if row[0] == "statesThat"] == []


def test_delivery_verb() -> None:
    # what was delivered to Poland, Poland has acquired
    assert facts_of("South Korea delivered the first K9 howitzers to Poland.") == [
        ("acquires", "Poland", "K9 Thunder", "reported", None),
        ("delivers", "South Korea", "Poland", "reported", None),
    ]


def test_delivery_noun_with_possessor() -> None:
    text = "France's delivery of Rafale jets to India was completed in 2022."
    assert facts_of(text) == [
        ("delivers", "France", "India", "reported", None),
    ]


def test_delivery_keeps_its_weapon_system_as_a_role() -> None:
    facts = read("South Korea delivered the first K9 howitzers to Poland.")
    (fact,) = [f for f in facts if f.relation == "delivers"]
    assert [(role, entity.label) for role, entity in fact.roles] == [
        ("geokg:weaponSystem", "K9 Thunder"),
    ]
    (acquired,) = [f for f in facts if f.relation == "acquires"]
    assert [(role, entity.label) for role, entity in acquired.roles] == [
        ("geokg:supplier", "South Korea"),
    ]


# ---- arms: origin, manufacturer, operation, refusal ----------------------------------------


def test_made_modifier_gives_origin_country() -> None:
    assert facts_of("Egypt operates French-made Rafale jets.") == [
        ("operates", "Egypt", "Rafale", "reported", None),
        ("originCountry", "Rafale", "France", "reported", None),
    ]


def test_made_in_gives_origin_country() -> None:
    assert facts_of("The Gripen is made in Sweden.") == [
        ("originCountry", "Gripen", "Sweden", "reported", None),
    ]


def test_manufacturer_from_a_passive() -> None:
    assert facts_of("The K2 tank is built by Hyundai Rotem.") == [
        ("manufacturer", "K2 Black Panther", "Hyundai Rotem", "reported", None),
    ]


def test_manufacturer_from_an_active_verb() -> None:
    assert facts_of("Dassault Aviation builds the Rafale.") == [
        ("manufacturer", "Rafale", "Dassault Aviation", "reported", None),
    ]


def test_armed_service_operates_for_its_state() -> None:
    assert facts_of("The Indian Air Force flies the Su-30MKI.") == [
        ("operates", "India", "Su-30MKI", "reported", None),
    ]


def test_plural_of_an_alias_resolves_to_the_lexicon_label() -> None:
    assert facts_of("Russia deployed Iskander missiles in Kaliningrad.") == [
        ("operates", "Russia", "9K720 Iskander", "reported", None),
    ]


def test_refusal_to_sell_is_not_a_supply() -> None:
    text = "Germany refused to sell Leopard 2 tanks to Saudi Arabia."
    assert facts_of(text) == [
        ("refusesToSell", "Germany", "Saudi Arabia", "reported", None),
    ]


def test_blocked_sale_is_a_refusal_not_a_supply() -> None:
    text = (
        "The United States blocked the sale of F-35 jets to the United Arab Emirates."
    )
    assert facts_of(text) == [
        ("refusesToSell", "United States", "United Arab Emirates", "reported", None),
    ]


# ---- alliances -------------------------------------------------------------------------


def test_membership_from_an_apposition() -> None:
    text = "Norway, a member of NATO, bought K9 howitzers from South Korea."
    assert facts_of(text) == [
        ("acquires", "Norway", "K9 Thunder", "reported", None),
        ("memberOf", "Norway", "NATO", "reported", None),
        ("supplies", "South Korea", "Norway", "reported", None),
    ]


def test_membership_from_a_title_like_compound() -> None:
    assert facts_of("NATO member Poland ordered Patriot systems.") == [
        ("acquires", "Poland", "Patriot", "reported", None),
        ("memberOf", "Poland", "NATO", "reported", None),
    ]


def test_joining_with_an_absolute_date() -> None:
    facts = read("Finland joined NATO on 4 April 2023.")
    assert rows(facts) == [("memberOf", "Finland", "NATO", "reported", None)]
    assert [f.date for f in facts] == ["2023-04-04"]


def test_delayed_accession_is_expected_and_opposed() -> None:
    assert facts_of("Sweden's accession to NATO was delayed by Hungary.") == [
        ("memberOf", "Sweden", "NATO", "expected", None),
        ("opposes", "Hungary", "Sweden's accession to NATO", "reported", None),
    ]


# ---- sanctions -------------------------------------------------------------------------


THREAT = (
    "The United States threatened India with sanctions under the Countering "
    "America's Adversaries Through Sanctions Act if the deal goes ahead."
)


def test_threat_of_sanctions_with_its_law() -> None:
    assert facts_of(THREAT) == [
        ("sanctionsUnderLaw", "United States", "CAATSA", "reported", None),
        ("threatensSanctions", "United States", "India", "reported", None),
    ]


def test_threat_of_sanctions_keeps_condition_and_legal_basis() -> None:
    (threat,) = [f for f in read(THREAT) if f.relation == "threatensSanctions"]
    assert threat.condition == "if the deal goes ahead"
    assert [(role, entity.label) for role, entity in threat.roles] == [
        ("geokg:legalBasis", "CAATSA"),
    ]


def test_facing_sanctions_is_a_threat_by_their_owner() -> None:
    assert facts_of("Egypt faces American sanctions under CAATSA.") == [
        ("sanctionsUnderLaw", "United States", "CAATSA", "reported", None),
        ("threatensSanctions", "United States", "Egypt", "reported", None),
    ]


def test_warning_of_own_sanctions_is_a_threat_not_an_imposition() -> None:
    assert facts_of("The EU warned that it would impose sanctions on Belarus.") == [
        ("threatensSanctions", "European Union", "Belarus", "reported", None),
    ]


def test_imposition_verb() -> None:
    assert facts_of("The European Union imposed sanctions on Belarus.") == [
        ("imposesSanctions", "European Union", "Belarus", "reported", None),
    ]


def test_sanction_verb_with_its_law() -> None:
    text = (
        "Britain sanctioned Belarus under the Sanctions and Anti-Money Laundering Act."
    )
    assert facts_of(text) == [
        ("imposesSanctions", "United Kingdom", "Belarus", "reported", None),
        (
            "sanctionsUnderLaw",
            "United Kingdom",
            "Sanctions and Anti-Money Laundering Act 2018",
            "reported",
            None,
        ),
    ]


def test_sanction_noun_with_its_owner() -> None:
    assert facts_of("EU sanctions on Belarus remain in force.") == [
        ("imposesSanctions", "European Union", "Belarus", "reported", None),
    ]


# ---- status and attribution ------------------------------------------------------------


def test_claim_keeps_its_claimant() -> None:
    assert facts_of("Paris said that Egypt had ordered 30 more Rafale jets.") == [
        ("acquires", "Egypt", "Rafale", "claimed", "France"),
        (
            "statesThat",
            "France",
            "Egypt had ordered 30 more Rafale jets",
            "claimed",
            "France",
        ),
    ]


def test_role_mention_resolves_to_the_named_holder() -> None:
    text = (
        "Japanese Defence Minister Kenji Sato arrived in Canberra. "
        "The defence minister said Japan would buy Tomahawk missiles."
    )
    assert facts_of(text) == [
        ("acquires", "Japan", "Tomahawk", "expected", "Kenji Sato"),
        ("holdsPosition", "Kenji Sato", "Defense Minister of Japan", "reported", None),
        (
            "statesThat",
            "Kenji Sato",
            "Japan would buy Tomahawk missiles",
            "claimed",
            "Kenji Sato",
        ),
    ]


def test_he_resolves_to_the_person_named_before() -> None:
    text = (
        "Polish Defence Minister Marek Nowicki arrived in Seoul. "
        "He said Poland would order more K2 tanks."
    )
    assert facts_of(text) == [
        ("acquires", "Poland", "K2 Black Panther", "expected", "Marek Nowicki"),
        (
            "holdsPosition",
            "Marek Nowicki",
            "Defense Minister of Poland",
            "reported",
            None,
        ),
        (
            "statesThat",
            "Marek Nowicki",
            "Poland would order more K2 tanks",
            "claimed",
            "Marek Nowicki",
        ),
    ]


def test_it_resolves_to_the_state_named_before() -> None:
    text = "Egypt signed a deal with France last year. It then ordered 30 Rafale jets."
    assert facts_of(text) == [
        ("acquires", "Egypt", "Rafale", "reported", None),
    ]


def test_capitals_resolve_to_their_states() -> None:
    assert facts_of("New Delhi ordered 26 Rafale M jets from Paris.") == [
        ("acquires", "India", "Rafale", "reported", None),
        ("supplies", "France", "India", "reported", None),
    ]


def test_demonym_government_resolves_to_its_state() -> None:
    assert facts_of("The French government sold Rafale jets to Qatar.") == [
        ("acquires", "Qatar", "Rafale", "reported", None),
        ("supplies", "France", "Qatar", "reported", None),
    ]


def test_ministry_acts_for_its_state() -> None:
    text = "India's Ministry of Defence signed a contract to buy 26 Rafale M jets."
    assert facts_of(text) == [
        ("acquires", "India", "Rafale", "reported", None),
    ]


def test_plans_to_is_expected() -> None:
    text = "Saudi Arabia plans to buy Eurofighter Typhoon jets from the United Kingdom."
    assert facts_of(text) == [
        ("acquires", "Saudi Arabia", "Eurofighter Typhoon", "expected", None),
        ("supplies", "United Kingdom", "Saudi Arabia", "expected", None),
    ]


def test_is_expected_to_is_expected() -> None:
    text = "Australia is expected to receive its first HIMARS launchers next year."
    assert facts_of(text) == [
        ("acquires", "Australia", "M142 HIMARS", "expected", None),
    ]


def test_will_is_expected() -> None:
    assert facts_of("Hungary will buy IRIS-T SLM systems from Germany.") == [
        ("acquires", "Hungary", "IRIS-T SLM", "expected", None),
        ("supplies", "Germany", "Hungary", "expected", None),
    ]


def test_may_is_possible() -> None:
    assert facts_of("Egypt may buy Su-35 jets from Russia.") == [
        ("acquires", "Egypt", "Su-35", "possible", None),
        ("supplies", "Russia", "Egypt", "possible", None),
    ]


def test_a_possibility_that_is_possible() -> None:
    text = (
        "There is a possibility that Saudi Arabia buys K9 howitzers from South Korea."
    )
    assert facts_of(text) == [
        ("acquires", "Saudi Arabia", "K9 Thunder", "possible", None),
        ("supplies", "South Korea", "Saudi Arabia", "possible", None),
    ]


def test_allegedly_is_alleged() -> None:
    assert facts_of("Iran allegedly supplied Shahed-136 drones to Russia.") == [
        ("acquires", "Russia", "Shahed-136", "alleged", None),
        ("supplies", "Iran", "Russia", "alleged", None),
    ]


def test_accused_of_is_alleged_by_the_accuser() -> None:
    assert facts_of("Ukraine accused Belarus of supplying weapons to Russia.") == [
        ("supplies", "Belarus", "Russia", "alleged", "Ukraine"),
    ]


def test_negated_sale_is_denied_never_reported() -> None:
    text = "Germany did not sell Leopard 2 tanks to Saudi Arabia."
    assert facts_of(text) == [
        ("acquires", "Saudi Arabia", "Leopard 2", "denied", None),
        ("supplies", "Germany", "Saudi Arabia", "denied", None),
    ]


def test_never_is_denied() -> None:
    assert facts_of("India has never bought F-16 jets.") == [
        ("acquires", "India", "F-16", "denied", None),
    ]


def test_threatened_deployment_is_threatened() -> None:
    assert facts_of("Russia threatened to deploy Iskander-M missiles in Belarus.") == [
        ("operates", "Russia", "9K720 Iskander", "threatened", None),
        (
            "statesThat",
            "Russia",
            "to deploy Iskander-M missiles in Belarus",
            "claimed",
            "Russia",
        ),
    ]


def test_relative_date_resolves_against_the_article_date() -> None:
    # 2022-06-10 is a Friday; the Tuesday before it is 2022-06-07.
    text = "On Tuesday, Poland ordered 180 K2 tanks from South Korea."
    facts = read(text, date="2022-06-10")
    assert rows(facts) == [
        ("acquires", "Poland", "K2 Black Panther", "reported", None),
        ("supplies", "South Korea", "Poland", "reported", None),
    ]
    assert sorted((f.relation, f.date) for f in facts) == [
        ("acquires", "2022-06-07"),
        ("supplies", "2022-06-07"),
    ]


# ---- statements and proposals ----------------------------------------------------------


def test_statement_content_is_the_reported_clause() -> None:
    text = "Poland announced that it will double the size of its army."
    assert facts_of(text) == [
        (
            "statesThat",
            "Poland",
            "it will double the size of its army",
            "claimed",
            "Poland",
        ),
    ]


def test_quotation_is_the_statement_of_the_named_speaker() -> None:
    text = '"We need more air defence," said Lithuanian Foreign Minister Tomas Kalnas.'
    assert facts_of(text) == [
        (
            "holdsPosition",
            "Tomas Kalnas",
            "Foreign Minister of Lithuania",
            "reported",
            None,
        ),
        (
            "statesThat",
            "Tomas Kalnas",
            "We need more air defence",
            "claimed",
            "Tomas Kalnas",
        ),
    ]


def test_according_to_makes_a_claim_of_its_source() -> None:
    text = "According to the Japanese Ministry of Defense, China deployed J-20 jets near Okinawa."
    assert facts_of(text) == [
        ("operates", "China", "J-20", "claimed", "Japan"),
        (
            "statesThat",
            "Japan",
            "China deployed J-20 jets near Okinawa",
            "claimed",
            "Japan",
        ),
    ]


def test_proposal_verb_with_addressee() -> None:
    facts = read("France proposed a joint air defence initiative to Poland.")
    assert rows(facts) == [
        ("proposes", "France", "joint air defence initiative", "reported", None),
    ]
    assert [(role, e.label) for f in facts for role, e in f.roles] == [
        ("geokg:addressee", "Poland"),
    ]


def test_proposal_noun_with_by_phrase() -> None:
    assert facts_of("A proposal by Japan for joint naval patrols was discussed.") == [
        ("proposes", "Japan", "joint naval patrols", "reported", None),
    ]


# ---- stances and assessments -----------------------------------------------------------


def test_opposition_verb() -> None:
    assert facts_of("Hungary opposed Ukraine's membership of NATO.") == [
        ("opposes", "Hungary", "Ukraine's membership of NATO", "reported", None),
    ]


def test_opposition_noun() -> None:
    assert facts_of("Hungary's objection to the new aid package was noted.") == [
        ("opposes", "Hungary", "new aid package", "reported", None),
    ]


def test_support_verb_with_a_state() -> None:
    assert facts_of("Poland strongly supports Ukraine.") == [
        ("supports", "Poland", "Ukraine", "reported", None),
    ]


def test_support_of_an_accession() -> None:
    assert facts_of("The United Kingdom backed Sweden's accession to NATO.") == [
        ("memberOf", "Sweden", "NATO", "expected", None),
        ("supports", "United Kingdom", "Sweden's accession to NATO", "reported", None),
    ]


def test_threat_to_from_a_noun() -> None:
    assert facts_of("Iskander-M missiles in Belarus are a threat to Poland.") == [
        ("threatTo", "9K720 Iskander", "Poland", "reported", None),
    ]


def test_threat_to_from_a_verb() -> None:
    assert facts_of("Hwasong-17 missiles endanger Japan.") == [
        ("threatTo", "Hwasong-17", "Japan", "reported", None),
    ]


def test_not_interoperable_with_an_alliance() -> None:
    assert facts_of("The Su-35 is not interoperable with NATO systems.") == [
        ("notInteroperableWith", "Su-35", "NATO", "reported", None),
    ]


def test_head_of_state_title_gives_the_post_only() -> None:
    """A head of state's post says it; headOf is kept for heads of organizations."""
    assert facts_of("Egyptian President Karim Mansour arrived in Riyadh.") == [
        ("holdsPosition", "Karim Mansour", "President of Egypt", "reported", None),
    ]


def test_head_of_an_organization_gives_post_and_leadership() -> None:
    assert facts_of("UN Secretary-General Amina Diallo arrived in Geneva.") == [
        ("headOf", "Amina Diallo", "United Nations", "reported", None),
        (
            "holdsPosition",
            "Amina Diallo",
            "Secretary General of the United Nations",
            "reported",
            None,
        ),
    ]


# ---- evidence --------------------------------------------------------------------------


def test_merged_fact_keeps_every_sentence_as_evidence() -> None:
    text = "India bought Rafale jets from France. New Delhi bought more Rafale jets in 2023."
    (acquisition,) = [f for f in read(text) if f.relation == "acquires"]
    assert [(s.start, s.end, s.text) for s in acquisition.evidence] == [
        (0, 37, "India bought Rafale jets from France."),
        (38, 80, "New Delhi bought more Rafale jets in 2023."),
    ]


EVIDENCE_TEXTS = [
    "India bought 36 Rafale fighter jets from France.",
    "  Paris said that Egypt had ordered 30 more Rafale jets.\n\nThe EU imposed "
    "sanctions on Belarus.",
    "Zoé Lefèvre, a French analyst, wrote about it.\n\nJapanese Defence Minister "
    "Kenji Sato arrived in Canberra. The defence minister said Japan would buy "
    "Tomahawk missiles.\nNorway, a member of NATO, bought K9 howitzers from South "
    "Korea.",
    '"We need more air defence," said Lithuanian Foreign Minister Tomas Kalnas. '
    "Mr Kalnas said Vilnius would order IRIS-T SLM systems from Germany.",
]


@pytest.mark.parametrize("text", EVIDENCE_TEXTS)
def test_evidence_spans_slice_the_text_exactly(text: str) -> None:
    spans = [span for fact in read(text) for span in fact.evidence]
    assert [s for s in spans if text[s.start : s.end] != s.text] == []
    assert spans != []


# ---- sanctions: lifting, "hit with", asset freezes ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The EU lifted sanctions on Belarus.",
        "Washington eased sanctions on Venezuela's oil sector.",
        "The United States waived sanctions on India.",
    ],
)
def test_lifting_sanctions_is_no_imposition(text: str) -> None:
    assert facts_of(text) == []


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("Russia was hit with new sanctions by the EU.", "imposesSanctions"),
        ("The EU hit Russia with new sanctions.", "imposesSanctions"),
        ("Belarus was threatened with sanctions by the EU.", "threatensSanctions"),
    ],
)
def test_sanctions_dealt_with_a_verb(text: str, relation: str) -> None:
    target = "Belarus" if "Belarus" in text else "Russia"
    assert facts_of(text) == [(relation, "European Union", target, "reported", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Britain froze the assets of five Russian oligarchs.",
            [
                (
                    "imposesSanctions",
                    "United Kingdom",
                    "Russian oligarchs",
                    "reported",
                    None,
                )
            ],
        ),
        (
            "Russian assets were frozen by Japan.",
            [("imposesSanctions", "Japan", "Russia", "reported", None)],
        ),
        (
            "The United States blocked Iran's funds in American banks.",
            [("imposesSanctions", "United States", "Iran", "reported", None)],
        ),
        ("Canada froze its defence budget.", []),
    ],
)
def test_freezing_what_a_target_owns_is_a_sanction(
    text: str, expected: list[Row]
) -> None:
    assert facts_of(text) == expected


# ---- more alliances and stances ---------------------------------------------------------


def test_member_named_by_a_possessive() -> None:
    assert facts_of("Sweden became NATO's 32nd member in March 2024.") == [
        ("memberOf", "Sweden", "NATO", "reported", None)
    ]


def test_blocking_a_bid_to_join_opposes_it_and_the_membership_is_pending() -> None:
    assert facts_of("Hungary blocked Sweden's bid to join NATO.") == [
        ("memberOf", "Sweden", "NATO", "expected", None),
        ("opposes", "Hungary", "Sweden's bid to join NATO", "reported", None),
    ]


@pytest.mark.parametrize("verb", ["condemned", "welcomed"])
def test_who_takes_a_stance_on_a_sale_is_not_its_seller(verb: str) -> None:
    found = facts_of(f"China {verb} the arms sale to Taiwan.")
    assert [row for row in found if row[0] == "supplies"] == []
    assert len(found) == 1 and found[0][:2] in (
        ("opposes", "China"),
        ("supports", "China"),
    )


def test_an_apposition_names_the_actor_not_the_possessor() -> None:
    assert facts_of("Turkey's ally Azerbaijan bought Bayraktar TB2 drones.") == [
        ("acquires", "Azerbaijan", "Bayraktar TB2", "reported", None)
    ]


def test_an_unnamed_spokesperson_of_a_state_body_speaks_for_the_state() -> None:
    text = "Pakistan's foreign office spokesperson said Islamabad would buy J-10C fighters."
    assert facts_of(text) == [
        ("acquires", "Pakistan", "J-10C fighter", "expected", "Pakistan"),
        (
            "statesThat",
            "Pakistan",
            "Islamabad would buy J-10C fighters",
            "claimed",
            "Pakistan",
        ),
    ]


def test_no_plans_to_sell_denies_the_sale() -> None:
    found = facts_of("The Kremlin said it had no plans to sell weapons to North Korea.")
    assert ("supplies", "Russia", "North Korea", "denied", "Russia") in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Erdogan government bought the S-400.",
            [("acquires", "Turkey", "S-400", "reported", None)],
        ),
        (
            "The Putin regime supplied weapons to Syria.",
            [("supplies", "Russia", "Syria", "reported", None)],
        ),
    ],
)
def test_a_leaders_government_is_the_state(text: str, expected: list[Row]) -> None:
    assert facts_of(text) == expected


# ---- Security Council votes, prevention, historical states -------------------------------


def test_who_vetoes_or_abstains_in_the_security_council_is_a_member() -> None:
    text = (
        "The UN Security Council voted on the draft. Russia vetoed the resolution, "
        "and the People\u2019s Republic of China abstained."
    )
    found = facts_of(text)
    assert (
        "memberOf",
        "Russia",
        "United Nations Security Council",
        "reported",
        None,
    ) in found
    assert (
        "memberOf",
        "China",
        "United Nations Security Council",
        "reported",
        None,
    ) in found


def test_a_veto_outside_the_security_council_says_nothing_of_membership() -> None:
    assert facts_of("Russia vetoed the bill.") == [
        ("opposes", "Russia", "bill", "reported", None)
    ]


def test_kept_from_vetoing_is_still_a_member() -> None:
    text = (
        "The UN Security Council passed the resolution. In order to keep China from "
        "vetoing the resolution, the text was softened."
    )
    assert (
        "memberOf",
        "China",
        "United Nations Security Council",
        "reported",
        None,
    ) in facts_of(text)


def test_preventing_an_acquisition_denies_it() -> None:
    assert facts_of(
        "The sanctions aim to prevent Iran from acquiring S-300 missiles."
    ) == [("acquires", "Iran", "S-300", "denied", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Soviet Union supplied MiG-29 fighters to India in 1987.",
            [
                ("acquires", "India", "MiG-29", "reported", None),
                ("supplies", "Soviet Union", "India", "reported", None),
            ],
        ),
        (
            "The GDR bought T-72 tanks from the USSR.",
            [
                ("acquires", "East Germany", "T-72", "reported", None),
                ("supplies", "Soviet Union", "East Germany", "reported", None),
            ],
        ),
    ],
)
def test_states_of_the_cold_war(text: str, expected: list[Row]) -> None:
    assert facts_of(text) == expected


# ---- patterns met in a challenge set of our own -------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Turkey, which bought the S-400 from Russia in 2017, was expelled from "
            "the F-35 program.",
            [
                ("acquires", "Turkey", "S-400", "reported", None),
                ("supplies", "Russia", "Turkey", "reported", None),
            ],
        ),
        (
            "North Korea has shipped artillery shells to Russia, South Korea's "
            "intelligence service said.",
            [
                (
                    "statesThat",
                    "South Korea",
                    "North Korea has shipped artillery shells to Russia",
                    "claimed",
                    "South Korea",
                ),
                ("supplies", "North Korea", "Russia", "claimed", "South Korea"),
            ],
        ),
        (
            "Tehran has repeatedly denied supplying Shahed drones to Russia.",
            [
                (
                    "statesThat",
                    "Iran",
                    "denied: supplying Shahed drones to Russia",
                    "claimed",
                    "Iran",
                )
            ],
        ),
        (
            "Argentina declined an invitation to join the BRICS group.",
            [("memberOf", "Argentina", "BRICS", "denied", None)],
        ),
        (
            "Britain and the European Union threatened new sanctions against Belarus.",
            [
                ("threatensSanctions", "European Union", "Belarus", "reported", None),
                ("threatensSanctions", "United Kingdom", "Belarus", "reported", None),
            ],
        ),
        (
            "Israel protested against the sale of AWACS planes to Saudi Arabia.",
            [
                ("acquires", "Saudi Arabia", "AWACS planes", "reported", None),
                (
                    "opposes",
                    "Israel",
                    "sale of AWACS planes to Saudi Arabia",
                    "reported",
                    None,
                ),
            ],
        ),
        (
            "India ordered 36 Rafale jets from Dassault Aviation.",
            [
                ("acquires", "India", "Rafale", "reported", None),
                ("manufacturer", "Rafale", "Dassault Aviation", "reported", None),
            ],
        ),
        (
            "France delivered Mirage F1 fighters to Iraq.",
            [
                ("acquires", "Iraq", "Mirage F1", "reported", None),
                ("delivers", "France", "Iraq", "reported", None),
            ],
        ),
        ("The Iranian foreign ministry denied the report.", []),
    ],
)
def test_challenge_patterns(text: str, expected: list[Row]) -> None:
    assert facts_of(text) == expected


def test_who_condemns_a_decision_to_sell_is_not_the_seller() -> None:
    found = facts_of(
        "China strongly condemned the US decision to sell Patriot missiles to Taiwan."
    )
    assert ("supplies", "United States", "Taiwan", "reported", None) in found
    assert [row for row in found if row[:2] == ("supplies", "China")] == []


def test_a_relative_clause_inside_the_object_is_not_the_object() -> None:
    text = (
        "The Soviet Union supplied Libya with Su-22 fighter-bombers, two of which "
        "were shot down by US Navy F-14s in 1981."
    )
    assert facts_of(text) == [
        ("acquires", "Libya", "Su-22", "reported", None),
        ("supplies", "Soviet Union", "Libya", "reported", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Exocet missiles that sank the destroyer had been sold to Argentina "
            "by France.",
            [
                ("acquires", "Argentina", "Exocet", "reported", None),
                ("supplies", "France", "Argentina", "reported", None),
            ],
        ),
        (
            "Germany approved an export licence for 62 Leopard 2 tanks to Qatar.",
            [
                ("acquires", "Qatar", "Leopard 2", "reported", None),
                ("supplies", "Germany", "Qatar", "reported", None),
            ],
        ),
        (
            "Argentina is negotiating the purchase of used F-16 fighters from Denmark.",
            [
                ("acquires", "Argentina", "F-16", "expected", None),
                ("supplies", "Denmark", "Argentina", "expected", None),
            ],
        ),
        (
            "Egypt flies Rafale jets, which it bought from France.",
            [
                ("acquires", "Egypt", "Rafale", "reported", None),
                ("operates", "Egypt", "Rafale", "reported", None),
                ("supplies", "France", "Egypt", "reported", None),
            ],
        ),
    ],
)
def test_passives_licences_negotiations_and_relative_objects(
    text: str, expected: list[Row]
) -> None:
    assert facts_of(text) == expected


@pytest.mark.parametrize(
    ("date", "supplier"),
    [("1986-05-01", "Soviet Union"), ("2015-05-01", "Russia"), (None, "Russia")],
)
def test_a_capital_stands_for_the_state_of_the_articles_time(
    date: str | None, supplier: str
) -> None:
    found = facts_of("Moscow agreed to supply MiG-29 fighters to Syria.", date)
    assert ("supplies", supplier, "Syria", "reported", None) in found
