"""``archive add``: new articles land under a readable name with front matter to review."""

from __future__ import annotations

from pathlib import Path

from builder.core import yamlutil
from builder.commands.cli import main

RAW = (" date 2022-03-04 NATO Secretary General Jens Stoltenberg on Friday said the alliance would not impose "
       "a no-fly zone over Ukraine after calls from Kyiv to help stop the bombardment.\n\n"
       "\u201cThe only way to implement a no-fly zone is to send NATO fighter planes into Ukrainian airspace,\u201d "
       "Stoltenberg said after an emergency meeting with NATO foreign ministers.\n\n"
       "Share this article\n\n"
       "Ukrainian Foreign Minister Dmytro Kuleba addressed the alliance by videolink from Kyiv and asked for "
       "concrete, resolute and swift help.\n")
HEADLINED = ("Allies Promise More Weapons to Kyiv\n\n"
             "Defence ministers of several allied countries promised on Tuesday to send more anti-tank weapons and "
             "air-defence systems to Ukraine within weeks, officials said in Brussels.\n\n"
             "The deliveries will be coordinated by a new office in Poland, which will also train crews to use "
             "the systems, according to a statement released after the meeting.\n")
PEOPLE = ("people:\n  - name: Jens Stoltenberg\n    aliases: [Stoltenberg]\n"
          "  - name: Dmytro Kuleba\n    aliases: [Dmitry Kuleba]\n")
TAGS = "tags:\n  - tag: no-fly zone\n    phrases: [no-fly zone]\n"


def add(project, *args: str, capsys) -> tuple[int, str, str]:
    code = main(["-C", str(project.root), "add", *args])
    out, err = capsys.readouterr()
    return code, out, err


def split(path: Path) -> tuple[str, bytes]:
    """(front-matter text, body bytes) of an added file."""
    data = path.read_bytes()
    assert data.startswith(b"---\n")
    end = data.index(b"\n---\n") + 5
    return data[:end].decode("utf-8"), data[end:]


def articles(project) -> list[str]:
    return sorted(p.name for p in (project.root / "corpus" / "articles").iterdir() if p.name != ".gitkeep")


def test_added_file_is_named_from_date_and_title_and_marks_what_was_inferred(make_archive, tmp_path, capsys):
    project = make_archive(people=PEOPLE, tags=TAGS)
    source = tmp_path / "download.txt"
    source.write_text(RAW, encoding="utf-8")
    code, out, _ = add(project, str(source), capsys=capsys)
    assert code == 0
    [name] = articles(project)
    assert name == "2022-03-04-nato-secretary-general-jens-stoltenberg-on-friday-said-the.txt"
    assert f"added corpus/articles/{name}  (from {source.as_posix()})" in out
    front, body = split(project.root / "corpus" / "articles" / name)
    assert body == source.read_bytes()                        # the article itself, byte for byte
    lines = front.split("\n")
    date_line = next(line for line in lines if line.startswith("date:"))
    assert date_line.startswith("date: '2022-03-04'  # inferred: date line")
    people = lines[lines.index(next(line for line in lines if line.startswith("people:"))) + 1:][:2]
    assert people[0].startswith("  - Jens Stoltenberg  # people.yml:")
    assert people[1].startswith("  - Dmytro Kuleba  # people.yml:")
    assert any(line.startswith("  - no-fly zone  # tags.yml phrase 'no-fly zone'") for line in lines)
    assert "# source:    (not found: name the outlet, as in corpus/sources.yml)" in lines
    # parsed as YAML, the front matter holds the inferred values (comments are only for the reviewer)
    data = yamlutil.strip_lines(yamlutil.load(front.strip("-\n")))
    assert data["date"] == "2022-03-04"
    assert data["people"] == ["Jens Stoltenberg", "Dmytro Kuleba"]
    assert "source" not in data and "url" not in data


def test_line_numbers_in_the_notes_are_those_of_the_new_file(make_archive, tmp_path, capsys):
    project = make_archive(people=PEOPLE)
    source = tmp_path / "x.txt"
    source.write_text(RAW, encoding="utf-8")
    assert add(project, str(source), capsys=capsys)[0] == 0
    path = next((project.root / "corpus" / "articles").glob("*.txt"))
    lines = path.read_text(encoding="utf-8").split("\n")
    kuleba = next(line for line in lines if line.startswith("  - Dmytro Kuleba"))
    number = int(kuleba.rsplit("(line ", 1)[1].rstrip(")"))
    assert lines[number - 1].startswith("Ukrainian Foreign Minister Dmytro Kuleba")


def test_added_file_passes_check_and_builds_the_same_record(make_archive, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ARCHIVE_SITE_URL", "https://archive.example.org/")   # as the workflows set it
    project = make_archive(people=PEOPLE, tags=TAGS)
    sources = []
    for name, text in (("a.txt", RAW), ("b.md", HEADLINED)):
        sources.append(tmp_path / name)
        sources[-1].write_text(text, encoding="utf-8")
    assert add(project, *map(str, sources), capsys=capsys)[0] == 0
    assert articles(project) == ["2022-03-04-nato-secretary-general-jens-stoltenberg-on-friday-said-the.txt",
                                 "allies-promise-more-weapons-to-kyiv.md"]
    code = main(["-C", str(project.root), "check", "--strict"])
    out, err = capsys.readouterr()
    assert (code, out) == (0, ""), err


def test_names_never_collide_and_existing_files_are_never_overwritten(make_archive, tmp_path, capsys):
    project = make_archive({"allies-promise-more-weapons-to-kyiv.txt": "Other text entirely, about farming "
                            "and the harvest in the south, which began early this year.\n"})
    existing = (project.root / "corpus" / "articles" / "allies-promise-more-weapons-to-kyiv.txt").read_bytes()
    first, second = tmp_path / "one" / "story.txt", tmp_path / "two" / "story.txt"
    for path, extra in ((first, ""), (second, "\nA second report adds that the first systems arrived on Sunday "
                                               "at an airfield near the border.\n")):
        path.parent.mkdir()
        path.write_text(HEADLINED + extra, encoding="utf-8")
    code, out, err = add(project, str(first), str(second), capsys=capsys)
    assert code == 0, err
    assert articles(project) == ["allies-promise-more-weapons-to-kyiv-2.txt",
                                 "allies-promise-more-weapons-to-kyiv-3.txt",
                                 "allies-promise-more-weapons-to-kyiv.txt"]
    assert (project.root / "corpus" / "articles" / "allies-promise-more-weapons-to-kyiv.txt").read_bytes() \
        == existing
    assert "near-duplicate of" in out            # the second is the first with one more paragraph


def test_dry_run_writes_nothing(make_archive, tmp_path, capsys):
    project = make_archive()
    source = tmp_path / "x.txt"
    source.write_text(RAW, encoding="utf-8")
    before = sorted(p.relative_to(project.root) for p in project.root.rglob("*"))
    code, out, _ = add(project, "--dry-run", str(source), capsys=capsys)
    assert code == 0
    assert sorted(p.relative_to(project.root) for p in project.root.rglob("*")) == before
    assert "would add corpus/articles/2022-03-04-nato-secretary-general-jens-stoltenberg-on-friday-said-the.txt" in out
    assert "date: '2022-03-04'  # inferred: date line" in out
    assert "Nothing was written (--dry-run)." in out


def test_an_exact_duplicate_of_an_article_in_the_corpus_is_refused(make_archive, tmp_path, capsys):
    project = make_archive({"old.txt": RAW})
    source = tmp_path / "again.txt"
    source.write_text(RAW.replace("\n\n", "\n\n\n") + "\nAdvertisement\n", encoding="utf-8")
    code, out, err = add(project, str(source), capsys=capsys)
    assert code == 1
    assert f"{source.as_posix()}:1:1: error: exact duplicate of corpus/articles/old.txt (the same text after " \
           "cleaning)" in err
    assert articles(project) == ["old.txt"]


def test_given_front_matter_is_kept_as_given(make_archive, tmp_path, capsys):
    project = make_archive(people=PEOPLE)
    source = tmp_path / "given.md"
    body = HEADLINED.encode("utf-8")
    source.write_bytes(b"---\ntitle: 'Allies: more weapons'\ndate: 2022-05\n---\n" + body)
    assert add(project, str(source), capsys=capsys)[0] == 0
    path = project.root / "corpus" / "articles" / "2022-05-allies-more-weapons.md"
    front, got = split(path)
    assert got == body
    assert "\ntitle: 'Allies: more weapons'\ndate: 2022-05\n" in front      # no 'inferred' note on given values
    assert main(["-C", str(project.root), "check"]) == 0


def test_crlf_text_keeps_its_bytes(make_archive, tmp_path, capsys):
    project = make_archive()
    source = tmp_path / "windows.txt"
    source.write_bytes(b"\xef\xbb\xbf" + HEADLINED.replace("\n", "\r\n").encode("utf-8"))
    assert add(project, str(source), capsys=capsys)[0] == 0
    [name] = articles(project)
    _, body = split(project.root / "corpus" / "articles" / name)
    assert body == HEADLINED.replace("\n", "\r\n").encode("utf-8")     # byte-order mark dropped, nothing else


def test_legacy_encoding_is_converted_to_utf8(make_archive, tmp_path, capsys):
    project = make_archive()
    source = tmp_path / "old.txt"
    source.write_bytes(HEADLINED.replace("Tuesday", "Tuesday \u2013 caf\u00e9").encode("cp1252"))
    code, out, _ = add(project, str(source), capsys=capsys)
    assert code == 0
    assert "converted from cp1252 to UTF-8" in out
    [name] = articles(project)
    assert "Tuesday \u2013 caf\u00e9" in (project.root / "corpus" / "articles" / name).read_text(encoding="utf-8")


def test_a_web_page_becomes_markdown_with_its_metadata(make_archive, tmp_path, capsys):
    project = make_archive()
    page = tmp_path / "page.html"
    paragraphs = "".join(f"<p>{p}</p>" for p in HEADLINED.split("\n\n")[1:])
    page.write_text("<!doctype html><html><head><title>Allies promise weapons | Harbour Times</title>"
                    "<meta property='og:site_name' content='Harbour Times'>"
                    "<meta property='article:published_time' content='2022-04-12'>"
                    "<link rel='canonical' href='https://harbour.example/allies'></head>"
                    f"<body><article><h1>Allies promise weapons</h1>{paragraphs}</article></body></html>",
                    encoding="utf-8")
    code, out, _ = add(project, str(page), capsys=capsys)
    assert code == 0
    assert "stored as Markdown" in out
    assert articles(project) == ["2022-04-12-allies-promise-weapons.md"]
    front, body = split(project.root / "corpus" / "articles" / "2022-04-12-allies-promise-weapons.md")
    data = yamlutil.strip_lines(yamlutil.load(front.strip("-\n")))
    assert (data["title"], data["date"], data["url"]) == ("Allies promise weapons", "2022-04-12",
                                                          "https://harbour.example/allies")
    assert body.decode("utf-8").count("Defence ministers of several allied countries") == 1
    assert main(["-C", str(project.root), "check"]) == 0


def test_refusals(make_archive, tmp_path, capsys):
    project = make_archive({"in.txt": RAW})
    image = tmp_path / "photo.jpg"
    image.write_bytes(b"\xff\xd8\xff")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    inside = project.root / "corpus" / "articles" / "in.txt"
    code, out, err = add(project, str(image), str(empty), str(inside), str(tmp_path / "missing.txt"), capsys=capsys)
    assert code == 1
    assert f"{image.as_posix()}:1:1: error: unsupported file type '.jpg'" in err
    assert f"{empty.as_posix()}:1:1: error: empty file" in err
    assert "corpus/articles/in.txt:1:1: error: is already in the corpus" in err
    assert f"{(tmp_path / 'missing.txt').as_posix()}:1:1: error: no such file" in err
    assert articles(project) == ["in.txt"]


def test_not_an_archive(tmp_path, capsys):
    source = tmp_path / "a.txt"
    source.write_text(RAW, encoding="utf-8")
    assert main(["-C", str(tmp_path), "add", str(source)]) == 2
    assert "archive new" in capsys.readouterr().err


def test_names_stay_true_and_check_says_when_a_name_and_the_date_disagree(make_archive, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ARCHIVE_SITE_URL", "https://archive.example.org/")   # as the workflows set it
    project = make_archive(people=PEOPLE, tags=TAGS)
    sources = [tmp_path / "a.txt", tmp_path / "b.md"]
    for path, text in zip(sources, (RAW, HEADLINED)):
        path.write_text(text, encoding="utf-8")
    assert add(project, *map(str, sources), capsys=capsys)[0] == 0
    dated, undated = "2022-03-04-nato-secretary-general-jens-stoltenberg-on-friday-said-the", \
        "allies-promise-more-weapons-to-kyiv"
    assert articles(project) == [f"{dated}.txt", f"{undated}.md"]        # no date known: no date in the name
    folder = project.root / "corpus" / "articles"

    # the reviewer dates the undated article: its name is still true
    text = (folder / f"{undated}.md").read_text(encoding="utf-8")
    (folder / f"{undated}.md").write_text(text.replace("---\n", "---\ndate: 2022-04-26\n", 1), encoding="utf-8")
    # ... and corrects the inferred date of the other: its name now says something false
    path = folder / f"{dated}.txt"
    text = path.read_text(encoding="utf-8")
    assert "date: '2022-03-04'" in text
    path.write_text(text.replace("date: '2022-03-04'", "date: '2022-03-05'"), encoding="utf-8")
    line = 1 + path.read_text(encoding="utf-8").split("\n").index(
        next(x for x in path.read_text(encoding="utf-8").split("\n") if x.startswith("date:")))
    assert main(["-C", str(project.root), "check"]) == 0                  # a warning
    out = capsys.readouterr().out.splitlines()
    assert out == [f"corpus/articles/{dated}.txt:{line}:1: warning: the file name (the article's id and page address "
                   f"'{dated}') starts with the date 2022-03-04, but its front matter says 2022-03-05. Not yet "
                   "published: rename the file to match (or drop the date from its name). Already published: keep "
                   f"its address by adding 'id: {dated}' to the front matter"]
    assert main(["-C", str(project.root), "check", "--strict"]) == 1
    capsys.readouterr()

    # once published, the address is kept by naming it: the warning goes
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", f"---\nid: {dated}\n", 1), encoding="utf-8")
    assert main(["-C", str(project.root), "check", "--strict"]) == 0
    capsys.readouterr()

    # a name frozen as 'undated-' by older versions is reported once the date is known
    (folder / "undated-farm-report.txt").write_text(
        "---\ndate: 2021-07\n---\nFarmers in the south said on Monday that the harvest had begun two weeks early "
        "because of the heat.\n", encoding="utf-8")
    assert main(["-C", str(project.root), "check"]) == 0
    out = capsys.readouterr().out
    assert ("corpus/articles/undated-farm-report.txt:2:1: warning: the file name (the article's id and page address "
            "'undated-farm-report') starts with 'undated', but its front matter dates it 2021-07.") in out


CREDITED = ("By Anna Kowalski\n\n" + HEADLINED +
            "\nAdditional reporting by Jonas Berg in Brussels; Editing by Graham Pryce\n")


def test_authors_are_inferred_with_provenance_and_kept_apart_from_editing_credits(make_archive, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ARCHIVE_SITE_URL", "https://archive.example.org/")   # as the workflows set it
    project = make_archive()
    source = tmp_path / "credited.txt"
    source.write_text(CREDITED, encoding="utf-8")
    code, out, err = add(project, str(source), capsys=capsys)
    assert code == 0, err
    path = project.root / "corpus" / "articles" / "allies-promise-more-weapons-to-kyiv.txt"
    front, body = split(path)
    lines = front.split("\n")
    at = lines.index(next(x for x in lines if x.startswith("authors:")))
    assert lines[at].startswith("authors:  # inferred: the article's writers, from its bylines")
    by_line = 1 + path.read_text(encoding="utf-8").split("\n").index("By Anna Kowalski")
    assert lines[at + 1] == f"  - Anna Kowalski  # byline: 'By Anna Kowalski' (line {by_line})"
    assert lines[at + 2].startswith("contributors:  # inferred: credited work other than writing")
    assert lines[at + 3].startswith("  - {name: Jonas Berg, role: additional reporting}  # credit line: ")
    assert lines[at + 4].startswith("  - {name: Graham Pryce, role: editing}  # credit line: ")
    data = yamlutil.strip_lines(yamlutil.load(front.strip("-\n")))
    assert data["authors"] == ["Anna Kowalski"]
    assert data["contributors"] == [{"name": "Jonas Berg", "role": "additional reporting"},
                                    {"name": "Graham Pryce", "role": "editing"}]
    assert main(["-C", str(project.root), "check", "--strict"]) == 0
    capsys.readouterr()

    # inspect says where each came from
    assert main(["-C", str(project.root), "inspect", str(path)]) == 0
    shown = capsys.readouterr().out
    assert "  authors Anna Kowalski" in shown and "editing: Graham Pryce  [front matter: contributors (line" in shown

    # a wrong value is corrected in the front matter, and a wrong type is reported
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - Anna Kowalski", "  - Anna Kowalska"), encoding="utf-8")
    (project.root / "corpus" / "articles" / "other.txt").write_text(
        "---\nauthors: Anna Kowalski\ncontributors: [{name: Graham Pryce}]\n---\n"
        "Farmers in the south said on Monday that the harvest had begun two weeks early.\n", encoding="utf-8")
    assert main(["-C", str(project.root), "check"]) == 1
    out = capsys.readouterr().out
    assert ("corpus/articles/other.txt:2:10: error: 'authors' must be a list of names (authors: [Anna Kowalski, "
            "Jonas Berg]), got text") in out
    assert ("corpus/articles/other.txt:3:16: error: each entry of 'contributors' needs a name and a role "
            "({name: Graham Pryce, role: editing})") in out
    (project.root / "corpus" / "articles" / "other.txt").unlink()

    # the page shows the authors, and the other credits apart, each with its provenance
    assert main(["-C", str(project.root), "build", "-q"]) == 0
    page = (project.root / "site" / "articles" / "allies-promise-more-weapons-to-kyiv.html").read_text(
        encoding="utf-8")
    assert '<dd class="archive-authors">Anna Kowalska</dd>' in page
    assert ('<dd class="archive-contributors">Additional reporting: Jonas Berg; Editing: Graham Pryce</dd>'
            in page)
    assert "<li><strong>author</strong> Anna Kowalska: front matter — authors (line" in page
    assert "<li><strong>editing</strong> Graham Pryce: front matter — contributors (line" in page
    assert "Graham Pryce" not in page.split('class="archive-authors"')[1].split("</dd>")[0]
