"""Person pages a reader can trust, stable person addresses, and outlets in a new archive."""

from __future__ import annotations

import json
import shutil

import pytest

from builder.commands.cli import main
from builder.people.shape import clean_person_name
from builder.pipeline import Project, process_project
from builder.outputs.render import _unique_slugs
from conftest import ROOT

SEED_002 = ROOT / "corpus" / "articles" / "002_78df90272e28db83.txt"


@pytest.mark.parametrize("span, name", [
    ("USA's Andy Roddick", "Andy Roddick"),
    ("Brookside's Marie Jackson", "Marie Jackson"),
    ("Comptroller Alan Hevesi", "Alan Hevesi"),
    ("Beatle George Harrison", "George Harrison"),
    ("Spaniard Guillermo Garcia-Lopez", "Guillermo Garcia-Lopez"),
    ("New Zealander Graham Henry", "Graham Henry"),
    ("Labour MP John Smith", "John Smith"),
    ("Dr. Sultan Al Jaber", "Sultan Al Jaber"),
    ("BBC's Westminster Hour", None),
    ("Deutsche Boerse", None),
    ("Birmingham Grand Prix", None),
    ("Liberal Democrat", None),
    ("Shady Records", None),
    ("Saturday's tsunami aid", None),
    ("DJ Pete Mitchell", "Pete Mitchell"),
    ("MC Kano", "Kano"),
    ("Freddy Vs Jason", None),
    # a word shaped like a trade is a role ("-grapher", "-ist", "-ician", "-eer"); "-man" roles are
    # listed, since given names end so too
    ("Cinematographer John Mathieson", "John Mathieson"),
    ("Guitarist Johnny Marr", "Johnny Marr"),
    ("Postman Pat", "Pat"),
    ("Abdirahman Hussein Farah", "Abdirahman Hussein Farah"),
    ("Christian Bale", "Christian Bale"),
    # what a role is of goes with it; a hyphenated role; where a person is from
    ("Treasury Secretary John Snow", "John Snow"),
    ("Treasury Under-Secretary John Taylor", "John Taylor"),
    ("Californian Thomas Slattery", "Thomas Slattery"),
    ("Mark Judge", "Mark Judge"),
    # a sentence adverb after an initial: the model ran across a sentence end
    ("Malcolm X. Besides Dee", None),
    # from Wikinews: a typed dash, a misspelt title, a rank, a newspaper, a digit, a German title,
    # markup run into a name; a long Portuguese name
    ("Houston--Beleaguered Tom DeLay", "Beleaguered Tom DeLay"),
    ("Profesor Stuart Cole", "Stuart Cole"),
    ("Pte Jamie Cutts", "Jamie Cutts"),
    ("Chugoku Shimbun", None),
    ("G8 Genoa", None),
    ("Der Tagesspiegel", None),
    ("Saddam Hussein Infobox Sunnis", None),
    ("Luiz Inácio Lula da Silva", "Luiz Inácio Lula da Silva"),
    ("Browns DL Sheldon Richardson", "Sheldon Richardson"),
    ("Susan Margaret CollinsGOP", "Susan Margaret Collins"),
    ("John Francis KellyMORE", "John Francis Kelly"),
    ("Scott DesJarlais", "Scott DesJarlais"),
    ("Joe Biden Biden", "Joe Biden"),
    ("H.R. McMaster", "H.R. McMaster"),
    ("Joseph diGenova", "Joseph diGenova"),
    ("CNN Jake Tapper", "Jake Tapper"),
    ("JFK Airport", None),
])
def test_owners_titles_and_organisations(span, name):
    assert clean_person_name(span) == name


def write(archive, files):
    articles = archive / "corpus" / "articles"
    articles.mkdir(parents=True)
    for name, text in files.items():
        (articles / name).write_text(text, encoding="utf-8")
    return process_project(Project(archive))


def people(result):
    return {r.id: list(r.people_names) for r in result.records}


def test_a_team_named_in_the_plural_is_not_a_person(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "Adam Keefe's men have now won four games in a row and move into fourth in the Elite League "
                 "table, nine points behind leaders Guildford Flames.\n",
        "b.txt": "Firefighters fought the flames for six hours, chief officer Jane Smith said.\n",
        "c.txt": "Barry Bonds hit another home run. Traders bought bonds on Friday, said Tom Blake.\n",
    }))
    assert "Guildford Flames" not in people_of(got)
    assert {"Adam Keefe", "Jane Smith", "Barry Bonds", "Tom Blake"} <= people_of(got)


def test_a_product_named_after_its_maker_is_not_a_person(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "Users of Twitter, Google and Amazon were affected, said Tom Blake.\n",
        "b.txt": "The rules apply to firms such as Microsoft, Google and Apple, said minister Jane Smith.\n",
        "c.txt": "Regulators in Brussels fined Google, Meta and Apple again, spokeswoman Anna Reyes said.\n",
        "d.txt": "Reeves wrote that Zuckerberg and Clegg had asked Google Bard, and that Kendall had read them.\n",
    }))
    assert "Google Bard" not in people_of(got)
    assert {"Anna Reyes", "Tom Blake", "Jane Smith"} <= people_of(got)


def people_of(by_article):
    return {n for names in by_article.values() for n in names}


def test_bands_works_and_companies_are_not_people(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "Ozzy Osbourne said the band Black Sabbath would tour again in black leather.\n\n"
                 "The show was sold out, said promoter Anna Reyes.\n",
        "b.txt": "Shares in housebuilder George Wimpey rose. Analyst Tom Blake said the black mood had lifted.\n",
        "c.txt": "Black Sabbath played on. Fans in black shirts sang along, said Ozzy Osbourne.\n",
    }))
    assert "Black Sabbath" not in {p for ps in got.values() for p in ps}
    assert "George Wimpey" not in got["b"] and "Tom Blake" in got["b"]
    assert "Ozzy Osbourne" in got["a"] and "Anna Reyes" in got["a"]


def test_titled_surname_resolves_to_a_person_the_archive_knows(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "Joe Biden signed the bill on Tuesday at the White House, aides said.\n",
        "b.txt": "Critics said President Biden's administration had moved too slowly on the rules.\n",
        "c.txt": "Critics said Mayor Hollis's administration had moved too slowly on the rules.\n",
    }))
    assert got["b"] == ["Joe Biden"]
    assert got["c"] == []       # nobody in the archive is called Hollis: not guessed


def test_nicknames_join_the_full_first_name(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "William Hague spoke in the Commons on Tuesday, and the house listened.\n",
        "b.txt": "Bill Hague said on Friday that he would not stand again for the seat.\n",
        "c.txt": "William Hague and his wife went to the theatre on Saturday evening.\n",
    }))
    assert got["b"] == ["William Hague"]


def test_person_addresses_never_move_and_are_readable():
    before = _unique_slugs(["Jens Stoltenberg", "Володимир Зеленський"], "people")
    after = _unique_slugs(["Jens Stoltenberg", "Володимир Зеленський", "Jens-Stoltenberg", "Index",
                           "Андрій Єрмак"], "people")
    assert before["Володимир Зеленський"].startswith("people/volodimir-zelenskii-")
    assert before["Володимир Зеленський"] == after["Володимир Зеленський"]
    assert after["Андрій Єрмак"] != "people/x.md" and after["Андрій Єрмак"].startswith("people/andrii-iermak-")
    # a colliding newcomer gets its own suffix; a reserved name never takes the index page
    assert after["Index"] != "people/index.md"
    assert after["Jens-Stoltenberg"] != after["Jens Stoltenberg"]
    assert len(set(after.values())) == len(after)


def test_new_archive_knows_major_outlets(tmp_path, capsys):
    target = tmp_path / "fresh"
    assert main(["new", str(target)]) == 0
    shutil.copyfile(SEED_002, target / "corpus" / "articles" / SEED_002.name)
    capsys.readouterr()
    assert main(["-C", str(target), "inspect", str(target / "corpus" / "articles" / SEED_002.name), "--json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert record["source"] == "Fox News", record
    assert main(["-C", str(target), "check"]) == 0


def test_names_in_results_tables_are_people(tmp_path):
    got = people(write(tmp_path, {
        "results.txt": "Athletics: results in Oslo\n\nLeading results on Thursday:\n\n"
                       "1. Noah Lyles (United States) 19.87 seconds\n\n"
                       "132 Rory McIlroy 67 65, Collin Morikawa (U.S.) 66 66\n\n"
                       "The allies pledged German-made Leopard 2 tanks, said Ben Wallace.\n",
    }))
    assert {"Noah Lyles", "Rory McIlroy", "Collin Morikawa", "Ben Wallace"} <= set(got["results"])
    assert not any("Leopard" in p for p in got["results"])


def test_wire_stories_of_every_genre_meet_the_people_target():
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from extraction import score

    s = score(ROOT / "tests" / "wire")
    assert s["articles"] == 20
    assert s["people_f1"] >= 0.93, s["errors"]


@pytest.mark.parametrize("span, name", [
    ("Tunisian-born Abdellatif Kechiche", "Abdellatif Kechiche"),
    ("Oscar-nominated Samantha Morton", "Samantha Morton"),
    ("Describing Mr Jackson", "Jackson"),
    ("Uncle Roy All Around You", None),
    ("Head' Welch", None),
    ("Preston Harriers", None),
    ("Seibu Railways", None),
    ("Hinton Lecture", None),
    ("So I", None),
    ("Lost In Translation", None),
    ("Nevertheless Franz Ferdinand", None),
    ("Scots Guardsman Allan Hendry", "Allan Hendry"),
    ("Paws Incorporated", None),
    ("Americans Andy Roddick", "Andy Roddick"),
    ("Colin McRae Rally", None),
    ("MacLeod- Henderson", None),
    ("Nelson Town", None),
    ("Christian Aid", None),
    ("Joseph O'Connor's Star", "Star"),
    ("Banque Misr", None),
])
def test_modifiers_phrases_and_clubs(span, name):
    assert clean_person_name(span) == name


def test_companies_and_works_named_in_lists_are_not_people(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "Shares in state construction companies Adhi Karya and Semen Gresik jumped this week, "
                 "said analyst Maria Lopez.\n",
        "b.txt": "The production company is behind films such as My Beautiful Laundrette, Billy Elliot, "
                 "About A Boy and Notting Hill, said its founder Tim Bevan.\n",
        "c.txt": "Indie rock group Muse consists of Matthew Bellamy, Chris Wolstenholme and Dominic Howard, "
                 "who met at school in Devon.\n\nTom Hanks will play Robert Langdon, who is trying to solve a murder.\n",
    }))
    everyone = {p for ps in got.values() for p in ps}
    assert not {"Adhi Karya", "Semen Gresik", "Billy Elliot"} & everyone, got
    assert "Maria Lopez" in got["a"] and "Tim Bevan" in got["b"]
    # a plain list of people after a band's name, and a verb that is also a work's word, take nobody away
    assert {"Matthew Bellamy", "Chris Wolstenholme", "Robert Langdon"} <= set(got["c"]), got


def test_a_name_the_archive_writes_after_the_is_not_a_person(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "Barry Gibb of the Bee Gees said on Monday that the band would tour, organiser Sam Hill said.\n",
        "b.txt": "Robin Gibb of the Bee Gees said the song would be released in March.\n",
        "c.txt": "Members of Bee Gees, Oasis and Blur joined Bob Geldof on stage, the charity said.\n",
    }))
    assert "Bee Gees" not in {p for ps in got.values() for p in ps}, got
    assert "Bob Geldof" in got["c"]


def test_place_names_from_the_gazetteer_are_not_people():
    from builder.people.decide import is_a_place_name, only_ordinary_words
    from builder.people.evidence import NameStats

    from collections import Counter

    lower = Counter({"young": 30, "production": 40, "diary": 8, "watch": 12, "migration": 6})
    stats = [NameStats("Porto Alegre", ["Porto Alegre"], 2, False),
             NameStats("North East", ["North East"], 1, False),
             NameStats("New York State", ["New York State"], 1, True),
             NameStats("Migration Watch", ["Migration Watch"], 1, True, lower),
             NameStats("Production Diary", ["Production Diary"], 1, True, lower),
             NameStats("Maria Sharapova", ["Maria Sharapova"], 2, False, lower),
             NameStats("Neil Young", ["Neil Young"], 2, False, lower),
             NameStats("Sydney Smith", ["Sydney Smith"], 1, False, lower)]
    against = {s.name for s in stats if is_a_place_name(s) or only_ordinary_words(s)}
    assert against == {"Porto Alegre", "North East", "New York State", "Migration Watch", "Production Diary"}


def test_a_work_in_commas_and_a_firm_named_once_are_not_people(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "He played a sensitive role in his next major film, Donnie Brasco, where he portrayed "
                 "an undercover officer, critic Anna Berg said.\n",
        "b.txt": "The Edinburgh member earns up to £30,000 a year from the law firm Tods Murray, said "
                 "his spokesman Ian Reid.\n",
        "c.txt": "It then emerged Tods Murray has a client which opposes the development, said Kate Moss.\n",
        "d.txt": "The head of the state-owned Naftohaz company, Yury Boyko, said he was fully satisfied.\n",
    }))
    everyone = {p for ps in got.values() for p in ps}
    assert not {"Donnie Brasco", "Tods Murray"} & everyone, got
    assert "Anna Berg" in got["a"] and "Ian Reid" in got["b"] and "Kate Moss" in got["c"]
    assert "Yury Boyko" in got["d"]


def test_a_title_before_the_surname_vouches_only_for_a_name_with_a_name_first(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "\"I have a new slogan. Vote Blair, get Brown,\" said the candidate. Mr Blair did not reply. "
                 "Tony Blair was in Sedgefield.\n",
        "b.txt": "Voters will vote on Thursday, and many will vote early, officials said.\n",
        "c.txt": "The vote was close, the returning officer said on Friday morning.\n",
    }))
    assert "Vote Blair" not in got["a"], got
    assert "Tony Blair" in got["a"]


def _stats_with_cues(name, cues, articles=1, lower=None, others=None):
    from collections import Counter

    from builder.people.evidence import NameStats
    from builder.people.spans import entity_key

    key = entity_key(name)
    return NameStats(name, [name], articles, False, Counter(lower or {}), Counter({key: others or 0}),
                     Counter({key: articles}), Counter(), Counter(),
                     Counter({(key, c): n for c, n in cues.items()}))


def test_the_one_decision_turns_down_a_firm_and_keeps_a_person():
    from builder.people.model import archive_rejections, person_model, person_probability

    model = person_model()
    assert model is not None and 0 < model["threshold"] < 1
    # written as a firm in every article: "Swan Hunter's shipyard ... it said", tagged an organisation,
    # no known given name first, its last word an ordinary word of the archive
    firm = _stats_with_cues("Swan Hunter", {"seen": 3, "it": 3, "modifier": 3, "label org": 3, "poss": 1},
                            articles=3, lower={"swan": 1, "hunter": 30}, others=3)
    # written as a person: "Ann Hunter said ... she", her surname alone later
    person = _stats_with_cues("Ann Hunter", {"seen": 3, "said": 3, "he": 3, "surname later": 3, "label person": 3},
                              articles=3, lower={"hunter": 30})
    assert person_probability(firm, model) < model["threshold"] < person_probability(person, model)
    reasons = archive_rejections([firm, person])
    assert set(reasons) == {"Swan Hunter"}
    assert "most against" in reasons["Swan Hunter"]      # the report names the evidence that weighed


def test_one_article_calling_a_name_a_firm_never_outweighs_a_hundred_using_it_as_a_person():
    from builder.people.model import archive_rejections

    # "Mitt Romney": 107 articles write him as a person, one names the firm he co-founded beside him
    person = _stats_with_cues("Mitt Romney", {"seen": 107, "said": 80, "he": 95, "title": 40, "surname later": 90,
                                              "label person": 105, "the": 1}, articles=107)
    person.thing_context[person.spellings[0].casefold()] = 1
    assert archive_rejections([person]) == {}


def test_how_an_article_writes_a_name_is_its_evidence():
    from builder.core.models import Line
    from builder.people.cues import name_cues
    from builder.people.mentions import Mention

    paras = [Line("Shares in Grey Global rose. Grey Global chief Ed Wax said it would grow.", 1),
             Line("Ed Wax, 61, joined in 1990. Mr Wax said he was pleased.", 2)]
    cues = name_cues([Mention("Grey Global", 1, "ner"), Mention("Ed Wax", 1, "ner")], paras, [[], []])
    assert {("grey global", "modifier"), ("grey global", "it")} <= cues
    assert {("ed wax", "said"), ("ed wax", "he"), ("ed wax", "surname later")} <= cues
    assert ("grey global", "said") not in cues and ("ed wax", "modifier") not in cues


def test_the_word_before_a_possessive_name_is_not_evidence_about_the_name():
    from builder.core.models import Line
    from builder.people.cues import name_cues
    from builder.people.mentions import Mention

    # "to" goes with "Macbeth", what Orson Welles owns; "in" with Khan Younis itself, and a title
    # with the name whatever it owns
    paras = [Line("He played Macduff to Orson Welles' Macbeth. Fighting went on in Khan Younis. "
                  "President Susilo Bambang Yudhoyono's government said so.", 1)]
    cues = name_cues([Mention("Orson Welles", 1, "ner"), Mention("Khan Younis", 1, "ner"),
                      Mention("Susilo Bambang Yudhoyono", 1, "ner")], paras, [[]])
    assert ("orson welles", "poss") in cues and ("orson welles", "before to") not in cues
    assert ("khan younis", "before in") in cues
    assert ("susilo bambang yudhoyono", "before president") in cues


def test_a_name_the_model_cuts_at_a_hyphen_or_a_particle_is_whole(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "Arsene Wenger introduced Quincy Owusu-Abeyie for the ineffective Lupoli at half-time.\n",
        "b.txt": "The crowd included former French president Valery Giscard d'Estaing and his wife.\n",
    }))
    assert "Quincy Owusu-Abeyie" in got["a"] and "Quincy Owusu" not in got["a"], got
    assert "Valery Giscard d'Estaing" in got["b"], got


def test_a_name_the_model_cuts_before_its_last_word_is_whole(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "The Manic Street Preachers began in Blackwood. Edwards did not feature in the original "
                 "line-up of the band, though. Singer/guitarist James Dean Bradfield, bassist Nicky Wire "
                 "and drummer Sean Moore formed the band at school.\n",
        "b.txt": "Fuel prices rose by a third. Kerosene is used for basic cooking, and prices have been "
                 "heavily subsidised for years. President Susilo Bambang Yudhoyono's government has said "
                 "it wants to curb the subsidies.\n",
        # a possessive ends the name: the capitalised word after it is what the person owns
        "c.txt": "He played Macduff to Orson Welles' Macbeth in 1948, and was nominated alongside "
                 "Josh Groban's Closer for album of the year.\n",
    }))
    assert "James Dean Bradfield" in got["a"] and "James Dean" not in got["a"], got
    assert "Susilo Bambang Yudhoyono" in got["b"] and "Susilo Bambang" not in got["b"], got
    assert {"Orson Welles", "Josh Groban"} <= set(got["c"]), got


def test_a_label_taken_into_a_name_goes_when_the_archive_names_the_person_without_it(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "The campaign was run by Alan Milburn, who returned to the cabinet in September. "
                 "Alan Milburn said the party would fight on the economy.\n",
        "b.txt": "Labour's election strategy was drawn up by Blairite Alan Milburn and approved by the "
                 "prime minister last week, officials said.\n",
    }))
    assert got["a"] == ["Alan Milburn"] and got["b"] == ["Alan Milburn"], got


def test_a_name_listed_with_games_or_titles_carries_that_evidence():
    """The learned opinion weighs what a name is listed with: games and songs, or people."""
    from builder.core.models import Line
    from builder.stages.ner import paragraph_entities
    from builder.people.cues import name_cues
    from builder.people.mentions import Mention

    text = ("At launch 21 games will be available, including Need for Speed, Ridge Racer, Metal Gear Acid "
            "and Vampire Chronicle. The relay team was Darren Campbell, Jason Gardener, Marlon Devonish "
            "and Mark Lewis-Francis.")
    ents = paragraph_entities([[text]])[0]
    cues = name_cues([Mention("Ridge Racer", 1, "ner", False), Mention("Jason Gardener", 1, "ner", False)],
                     [Line(text, 1, "text", "")], ents)
    assert ("ridge racer", "listed with things") in cues and ("ridge racer", "listed with people") not in cues
    assert ("jason gardener", "listed with people") in cues and ("jason gardener", "listed with things") not in cues


def test_works_and_firms_by_their_context(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "Born in Runcorn, she starred in many films, including 1989's Shirley Valentine. "
                 "She worked with the director Mike Leigh for a decade.\n",
        "b.txt": "The results look solid, said Apurva Shah, an analyst at ASK-Raymond James in "
                 "Mumbai.\n",
        "c.txt": "He wrote Gone Are the Days, a film he adapted from his own play, Purlie Victorious. "
                 "Ossie Davis also appeared in seven films by Spike Lee.\n",
    }))
    assert "Shirley Valentine" not in got["a"] and "Mike Leigh" in got["a"], got
    assert got["b"] == ["Apurva Shah"], got
    assert "Purlie Victorious" not in got["c"] and "Spike Lee" in got["c"], got


def test_a_name_every_article_writes_inside_a_firms_name_is_the_firm(tmp_path):
    got = people(write(tmp_path, {
        "a.txt": "The firms, co-managers of the underwriting group, said Paine Webber Group Inc has made a "
                 "public offering of four mln shares. Paine Webber originally planned to offer 3.6 mln shares.\n",
        "b.txt": "The Internal Revenue Service allowed the Conrad Hilton Foundation to hold the stock. The "
                 "Foundation, set up by the late Conrad Hilton, holds 27 pct of the company.\n",
    }))
    assert "Paine Webber" not in got["a"], got
    assert "Conrad Hilton" in got["b"], got


def test_an_archivist_lists_names_that_are_not_people(tmp_path):
    """A firm named like a person that the rules keep: listed under not_people in people.yml, it
    gets no page, and the article's notes say where the word came from."""
    text = {"a.txt": "In a filing with the Securities and Exchange Commission, Mitchell Hutchins said it "
                     "bought 11,900 shares between Jan 8 and Feb 24, said its spokesman, Jane Morrow.\n"}
    kept = people(write(tmp_path / "before", text))["a"]
    assert "Mitchell Hutchins" in kept, kept          # the rules take the firm for a person

    (tmp_path / "after" / "corpus").mkdir(parents=True)
    (tmp_path / "after" / "corpus" / "people.yml").write_text(
        "people: []\nnot_people:\n  - Mitchell Hutchins\n", encoding="utf-8")
    result = write(tmp_path / "after", text)
    assert people(result)["a"] == [p for p in kept if p != "Mitchell Hutchins"], people(result)
    notes = [m.text for r in result.records for m in r.messages]
    assert any("'Mitchell Hutchins'" in n and "not_people in corpus/people.yml (line 3)" in n for n in notes), notes


def test_a_name_both_a_person_and_not_a_person_is_an_error(tmp_path):
    from builder.core.registry import load_registry

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "people.yml").write_text("people:\n  - name: Jane Morrow\nnot_people: [Jane Morrow]\n",
                                       encoding="utf-8")
    reg = load_registry(corpus, tmp_path)
    errors = [f"{m.path}:{m.line}: {m.text}" for m in reg.messages]
    assert errors == ["corpus/people.yml:3: 'Jane Morrow' is listed under not_people and as a spelling of "
                      "'Jane Morrow' (line 2): keep it in one place"], errors


def test_labels_that_join_in_a_chain_end_at_the_name_left():
    """"Angry Zimbabwe Robert Mugabe" -> "Zimbabwe Robert Mugabe" -> "Robert Mugabe": a name
    joining one that itself joins later ends with the last. (It once made an empty group,
    and the archive-wide step failed for the whole archive.)"""
    from builder.people.evidence import DocEvidence
    from builder.people.mentions import Mention
    from builder.people.resolve import resolve_people
    from builder.core.registry import Registry

    spellings = {"a": "Angry Zimbabwe Robert Mugabe", "b": "Zimbabwe Robert Mugabe", "c": "Robert Mugabe"}
    evidence = [DocEvidence(doc, [Mention(name, 1, "ner")]) for doc, name in spellings.items()]
    got = resolve_people(evidence, Registry())
    assert {doc: [p.name for p in people] for doc, (people, _) in got.items()} == {
        "a": ["Robert Mugabe"], "b": ["Robert Mugabe"], "c": ["Robert Mugabe"]}


def test_a_failing_archive_wide_step_is_reported_not_silent(tmp_path, monkeypatch):
    """If resolving people across the archive fails, each article is resolved alone and the
    build says so: without the archive-wide checks, names that are not people get pages."""
    import builder.pipeline as P

    real = P.resolve_people

    def failing(evidence, registry, decisions=None):
        if len(evidence) > 1:
            raise IndexError("list index out of range")
        return real(evidence, registry, decisions)

    monkeypatch.setattr(P, "resolve_people", failing)
    result = write(tmp_path, {"a.txt": "Anna Reyes said the show was sold out.\n",
                              "b.txt": "Tom Blake said the mood had lifted.\n"})
    assert people(result) == {"a": ["Anna Reyes"], "b": ["Tom Blake"]}
    warnings = [m for m in result.messages if "archive-wide" in m.text]
    assert len(warnings) == 1 and "IndexError" in warnings[0].text, result.messages


# One article each, from the Wikinews round: (what it shows, the text, people it names, names it must not)
ONE_ARTICLE_CASES = [
    ("misspelt and plural titles",
     "Commenting on the report, Profesor Stuart Cole from the University of Glamorgan said the plans were "
     "ambitious.\n\nDoctors Steven Woloshin and Lisa Schwartz from the Dartmouth Institute said the study was "
     "flawed.\n",
     ["Lisa Schwartz", "Steven Woloshin", "Stuart Cole"], ["Profesor Stuart Cole", "Doctors Steven Woloshin"]),
    ("the 'bin' of an Arabic name, its honorific, and its given names alone",
     "The body of Emirati Sheikh Ahmed bin Zayed Al Nahyan has been found in a lake near Rabat. Sheikh Ahmed "
     "had been missing since Friday, when his glider crashed.\n",
     ["Ahmed bin Zayed Al Nahyan"], ["Sheikh Ahmed", "Sheikh Ahmed bin Zayed Al Nahyan"]),
    ("a model year",
     "Geisel, a native of Bangor, Maine, reportedly had in his 1998 Ford Explorer — as well as in the hotel room "
     "at which he was staying — body armor, a 9mm pistol and dozens of rounds, said Sergeant Anna Reyes.\n",
     ["Anna Reyes"], ["Ford Explorer"]),
    ("a book", "The politician compared the Koran with Adolf Hitler's book Mein Kampf, which is banned in the "
     "Netherlands.\n", ["Adolf Hitler"], ["Mein Kampf"]),
    ("a phrase of another language",
     "The plant was built after complaints by Agrupación Ciudadana por un Pichilemu Limpio, said Mayor Marcelo "
     "Cabrera.\n", ["Marcelo Cabrera"], ["Pichilemu Limpio"]),
    ("a region", "The price rise hit transport in Orissa and Madhya Pradesh, said minister Prakash Karat.\n",
     ["Prakash Karat"], ["Madhya Pradesh"]),
    ("provinces of other countries (ISO 3166-2)",
     "Floods hit Tamil Nadu on Monday. Rescue teams from Nueva Ecija arrived on Tuesday, and more were sent "
     "to Dhi Qar, said Governor Ana Santos.\n", ["Ana Santos"], ["Tamil Nadu", "Nueva Ecija", "Dhi Qar"]),
    ("an abbreviated rank, an agent, a Welsh organisation",
     "Det Supt Helen Rance said the search would go on. Special Agent Paul Roberts told the podcast the "
     "investigation was worldwide. Stonewall Cymru said the law had to change.\n",
     ["Helen Rance", "Paul Roberts"], ["Det Supt Helen Rance", "Agent Paul Roberts", "Stonewall Cymru"]),
    ("a hyphenated word before or after a name",
     "Kyiv wants more US-made Javelins, said defence minister Oleksii Reznikov. The Joe Talbot-directed "
     "film opens on Friday.\n", ["Oleksii Reznikov"], ["US-made Javelins", "Joe Talbot-directed"]),
    ("two given names, the first opening a line",
     "Members of the Order of the British Empire include:\n\nCorinne Claire Hall (cyclist), for services to "
     "cycling.\n\nWill Claire Hall ride again? Nobody will say.\n",
     ["Corinne Claire Hall"], ["Claire Hall", "Will Claire Hall"]),
    ("a party, a small town, an adverb and a social network",
     "Sinn Féin won the most seats, said party leader Mary Lou McDonald.\n\nRoads into Midsomer Norton were "
     "flooded on Sunday.\n\nDisappointingly Scott finished fourth in the final.\n\nHe had 300,000 followers "
     "on James Bond Twitter by then, said Anna Reyes.\n",
     ["Mary Lou McDonald", "Anna Reyes"],
     ["Sinn Féin", "Midsomer Norton", "Disappointingly Scott", "James Bond Twitter"]),
    ("honorifics of other cultures, online roles, a detective's rank",
     "Tribal leader Nawab Akbar Khan Bugti was killed on Saturday. In Suva, Ratu Josefa Iloilo swore in the "
     "cabinet. YouTuber Casey Neistat posted the video, and Det Sgt Jane O'Toole said inquiries went on. "
     "Det Supt said the search would go on.\n",
     ["Akbar Khan Bugti", "Josefa Iloilo", "Casey Neistat", "Jane O'Toole"],
     ["Nawab Akbar Khan Bugti", "Ratu Josefa Iloilo", "YouTuber Casey Neistat", "Det Sgt Jane O'Toole", "Det Supt"]),
    ("a disease, a clinic and a wiki named after or beside a name",
     "He was found to have Lou Gehrig's disease in 2019, said Anna Reyes. The surgery took place at the "
     "Schulthess Klinik in Zurich.\n", ["Anna Reyes"], ["Lou Gehrig", "Schulthess Klinik"]),
    ("a ship and a brand", "Karim Kudrat, who owns MV Rozen, said the ship would not sail. SpaceX Dragon flew on "
     "Friday, said Elon Musk.\n", ["Elon Musk", "Karim Kudrat"], ["MV Rozen", "SpaceX Dragon"]),
    ("a firm's suffix after a comma",
     "Bank of America leads all companies in terms of total complaints filed this month with 9. Bayview Loan "
     "Servicing, LLC and JPMorgan Chase have 7 complaints each, said Richard Cordray.\n",
     ["Richard Cordray"], ["Loan Servicing"]),
    ("a particle's surname, German titles",
     "Political scientist Joop van Holsteyn thinks the party will fail. Germany's own Der Tagesspiegel said the "
     "speech was a signal, and the band Die Toten Hosen played.\n",
     ["Joop van Holsteyn"], ["Der Tagesspiegel", "Toten Hosen"]),
    ("Indian parties", "Leaders from the Samajwadi Party, Rashtriya Lok Dal and Janata Dal-Secular were "
     "present, said Prakash Karat.\n", ["Prakash Karat"], ["Rashtriya Lok Dal"]),
    ("'der' before a name is a particle, not a German article",
     "P.J. van der Berg, the Commission's director for trade defence, told member states on Monday that an "
     "investigation would conclude by the autumn. Van der Berg said the Commission would look at the "
     "evidence.\n", ["P.J. van der Berg"], ["Van der Berg"]),
    ("a town word and a park",
     "Rockets hit Kiryat Shmona and Nahariya on Friday, said police spokesman Micky Rosenfeld. My riding is "
     "close to Tommy Thompson Park, said candidate Joe Smith.\n",
     ["Joe Smith", "Micky Rosenfeld"], ["Kiryat Shmona", "Tommy Thompson Park"]),
    ("a caption's credit", "U.S. Secretary of State Condoleezza Rice Source: Wikicommons has expressed her anger "
     "after a meeting in Khartoum.\n", ["Condoleezza Rice"], ["Condoleezza Rice Source"]),
    ("the last two words of a long name the model cut",
     "National Congress Party chairman Ghazi Salah Eldin Atabani told journalists the resolution was "
     "unacceptable.\n", ["Ghazi Salah Eldin Atabani"], ["Ghazi Salah"]),
]


@pytest.mark.parametrize("text, named, not_named", [c[1:] for c in ONE_ARTICLE_CASES],
                         ids=[c[0] for c in ONE_ARTICLE_CASES])
def test_one_article_names_its_people_and_no_thing(tmp_path, text, named, not_named):
    got = set(people(write(tmp_path, {"a.txt": text}))["a"])
    assert set(named) <= got and not set(not_named) & got, got


GERMAN = ("Die Digitalisierung zieht sich durch alle Bereiche der Versorgung. Vereinbaren Sie einen Termin mit "
          "unseren Beratern, die Ihnen zeigen, wie die Daten der Akte sicher und nach Gesetz genutzt werden. "
          "Laut Gesetz sind die Kliniken verpflichtet, die Daten mit den Patienten zu teilen, sagte Angela Merkel "
          "auf einer Konferenz in Berlin. Die Synchronisation von Patientendaten ist für uns nicht nur ein Thema "
          "der Technik, sondern auch der Organisation und der Zusammenarbeit mit den Partnern.\n")


def test_an_article_in_another_language_keeps_only_listed_people(tmp_path):
    """The name model reads English: in a German article its capitalised nouns are taken for names
    ("Vereinbaren Sie", "Laut Gesetz"), so only people.yml's people are kept, and the report says so.
    An English results table (few English words either) keeps its names."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "people.yml").write_text("people:\n  - name: Angela Merkel\n", encoding="utf-8")
    result = write(tmp_path, {
        "de.txt": "Digitalisierung im Krankenhaus\n\n" + GERMAN,
        "table.txt": "Athletics: results in Oslo\n\n1. Noah Lyles (United States) 19.87 seconds\n\n"
                     "2. Kenny Bednarek (United States) 19.95\n\n3. Erriyon Knighton (United States) 20.01\n",
    })
    got = people(result)
    assert got["de"] == ["Angela Merkel"], got["de"]
    assert {"Noah Lyles", "Kenny Bednarek"} <= set(got["table"]), got["table"]
    de = next(r for r in result.records if r.id == "de")
    assert de.language.value == "de" and de.language.method == "text", de.language
    assert not any("Gesetz" in t or "Akte" in t for t in de.tags.value), de.tags.value
    notes = [m.text for m in de.messages if m.code == "language"]
    assert notes and "looks like 'de'" in notes[0] and "people.yml" in notes[0], notes

    (tmp_path / "corpus" / "articles" / "de.txt").write_text("---\nlanguage: de\n---\nDigitalisierung\n\n" + GERMAN,
                                                            encoding="utf-8")
    declared = next(r for r in process_project(Project(tmp_path)).records if r.id == "de")
    assert declared.people_names == ["Angela Merkel"], declared.people_names
    notes = [f"{m.line}: {m.text}" for m in declared.messages if m.code == "language"]
    assert notes == ["2: language 'de': people are taken only from corpus/people.yml and front matter, since "
                     "the name model reads English"], notes


def test_a_phrase_of_common_words_is_no_name_even_in_a_small_archive():
    """One article is too little evidence that "Night Mode" is a phrase: the common words of news
    copy stand in, while names made of name words ("Grant Young", "Will Rose") stay names, and a
    title before it leaves the decision to the model."""
    from builder.people.evidence import NameStats
    from builder.people.model import DECISION_STEPS

    def turned_down(name, titled=False):
        stats = NameStats(name, [name], 1, titled)
        return any(step(stats) for step in DECISION_STEPS)

    assert turned_down("Night Mode") and turned_down("Common Cause") and turned_down("True Depth")
    assert not any(turned_down(n) for n in ("Grant Young", "Will Rose", "Trip Chowdhry", "Noah Lyles"))
    assert not turned_down("True Depth", titled=True)


def test_a_span_cut_inside_a_word_names_no_one():
    """The model's span ends inside a longer word ("Mustang Mach" of "Mustang Mach-E", "Anna Kow"
    of "Anna Kowalski-style"); a span ending at a bracket stays a name ("Letsile Tebogo (")."""
    from builder.core.models import Entity, Line
    from builder.core.registry import Registry
    from builder.people.mentions import find_person_mentions

    def found(text, ent_text):
        start = text.index(ent_text)
        para = Line(text, 1, "text", "")
        return [m.text for m in find_person_mentions([para], [[Entity(ent_text, "PERSON", start, start + len(ent_text))]],
                                                     Registry())]

    assert found("Ford said the Mustang Mach-E will go 230 miles.", "Mustang Mach") == []
    assert found("The report by Anna Kowalczykowa said so.", "Anna Kowal") == []
    assert found("2. Letsile Tebogo (Botswana) 19.96", "Letsile Tebogo (") == ["Letsile Tebogo"]
    assert found("Ford said Grace Hanks will go.", "Grace Hanks") == ["Grace Hanks"]
    assert clean_person_name("Chris RuiWen Kuo") == "Chris RuiWen Kuo"
    assert clean_person_name("Bernie Sanders Bernie SandersHow") == "Bernie Sanders"


def test_a_known_name_inside_a_longer_one_is_not_listed_again(tmp_path):
    """One article's "George. W. Bush" makes "W. Bush" a name the archive knows; the articles that
    write "George W. Bush" or "George H. W. Bush" list those, not the "W. Bush" that ends them."""
    got = people(write(tmp_path, {
        "a.txt": "Bush years\n\nThe adviser to President George. W. Bush, Bill Wichterman, said so on Monday.\n",
        "b.txt": "Iraq war\n\nFormer President George W. Bush said the war was right, and George W. Bush "
                 "said it again on Tuesday.\n",
        "c.txt": "Father and son\n\nGeorge H. W. Bush, the father, met voters in Texas on Friday.\n",
    }))
    assert "W. Bush" in got["a"], got["a"]       # the archive knows the name
    assert "W. Bush" not in got["b"] and "George W. Bush" in got["b"], got["b"]
    assert "W. Bush" not in got["c"], got["c"]


def test_a_name_with_middle_initials_is_the_same_person(tmp_path):
    """The New York Times writes "Paul D. Ryan" and "Donald J. Trump", others "Paul Ryan": one page
    each, under the spelling more articles use; "George Bush" stays apart from "George W. Bush" and
    "George H. W. Bush", since it may be either."""
    got = people(write(tmp_path, {
        "a.txt": "Trump rally\n\nPresident Donald J. Trump said on Monday that the wall would be built.\n",
        "b.txt": "Trump again\n\nDonald Trump said the talks would resume. Trump spoke in Ohio.\n",
        "c.txt": "Ryan speaks\n\nHouse Speaker Paul D. Ryan said on Friday the bill would pass.\n",
        "d.txt": "Ryan again\n\nPaul Ryan said the bill would pass. Ryan spoke in Wisconsin.\n",
        "e.txt": "Two presidents\n\nGeorge W. Bush and his father, George H. W. Bush, met George Bush fans.\n",
    }))
    assert got["a"] == got["b"] == ["Donald Trump"], got
    assert got["c"] == got["d"] == ["Paul Ryan"], got
    assert {"George W. Bush", "George H. W. Bush"} <= set(got["e"]), got["e"]


def test_a_stray_longer_name_does_not_hide_the_person_it_ends_with(tmp_path):
    """One article's "Will Robert Mueller" (a tweet's "Will" run into the name) is known to the
    archive, but "Robert Mueller", named in more articles, is still listed where it is written."""
    got = people(write(tmp_path, {
        "a.txt": "Probe\n\nSpecial Counsel Robert Mueller said on Friday that the inquiry would go on.\n",
        "b.txt": "Probe\n\nRobert Mueller met the committee on Monday. Mueller said little.\n",
        "c.txt": "Tweets\n\nThe president wrote: Will Robert Mueller ever stop? Officials declined to comment. "
                 "Robert Mueller's office said nothing.\n",
    }))
    assert "Robert Mueller" in got["c"], got
