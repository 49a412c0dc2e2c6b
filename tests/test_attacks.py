"""An attacker's corpus: what arrives by pull request must never publish or leak anything from
outside the archive, never delete anything, and never stall or crash a build.

Each class of attack from issue 7 has several cases: links and special files in place of the
corpus and the registries, ``--site-dir`` aimed at the archive, killed and failing builds,
YAML bombs and coercions, ids that are not what they look like, caps, and encodings."""

from __future__ import annotations

import json
import re
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.commands import cli
from builder.commands.check import check_project
from builder.core.limits import MAX_DATE_MEMBERS, MAX_PEOPLE, MAX_TAGS
from builder.pipeline import Project, process_project
from builder.mkdocs.publish import MARKER, BuildFailed, build, remove_stale
from builder.stages.read import read_file
from builder.core.registry import load_registry

GOOD = ("Kyiv, 4 March 2022. NATO leaders refused to impose a no-fly zone over Ukraine on Friday, "
        "officials said in Brussels.\n\nThe alliance said it would not send planes into Ukrainian airspace.\n")
OTHER = ("Brussels, 5 March 2022. Foreign ministers met again on Saturday to discuss sanctions and aid.\n\n"
         "They agreed on a new package of support for refugees.\n")
SECRET = "https://octocat:ghp_SECRETTOKEN1234567890@github.com"


def files_of(result) -> dict[str, object]:
    return {f.path: f for f in result.files}


def all_text(result) -> str:
    return "\n".join(m.format() for m in result.all_messages)


def errors_of(result, path: str) -> list[str]:
    return [m.text for m in files_of(result)[path].messages if m.severity == "error"]


def run_cli(*args: str, capsys) -> tuple[int, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def outside(tmp_path):
    """A folder outside every archive, holding what an attacker would like to publish."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\n" + GOOD, encoding="utf-8")
    (folder / "git-credentials").write_text(SECRET + "\n", encoding="utf-8")
    (folder / "id_ed25519").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\n"
                                       "-----END OPENSSH PRIVATE KEY-----\n", encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------------------
# containment: the corpus, corpus/articles and the registries
# ---------------------------------------------------------------------------------------

def test_a_symlinked_articles_folder_leading_out_is_refused_and_never_read(make_archive, outside, capsys):
    project = make_archive()
    articles = project.articles
    for child in articles.iterdir():
        child.unlink()
    articles.rmdir()
    articles.symlink_to(outside)
    result = process_project(project)
    assert result.records == []
    assert list(files_of(result)) == ["corpus/articles"]
    assert "leads outside the archive folder" in errors_of(result, "corpus/articles")[0]
    assert "root:x" not in all_text(result) and str(outside) not in all_text(result)
    code, out = run_cli("-C", str(project.root), "check", capsys=capsys)
    assert code == 1 and "corpus/articles:1:1: error: leads outside the archive" in out
    outcome = build(project)
    assert not (outcome.site / "articles" / "passwd.html").exists()
    report = (outcome.site / "build-report.json").read_text(encoding="utf-8")
    assert "root:x" not in report and str(outside) not in report


def test_a_symlinked_corpus_folder_leading_out_is_refused_with_its_registries(make_archive, outside):
    project = make_archive()
    (outside / "articles").mkdir()
    (outside / "articles" / "passwd.txt").write_text(GOOD, encoding="utf-8")
    (outside / "tags.yml").write_text("tags:\n  - tag: leaked\n", encoding="utf-8")
    corpus = project.corpus
    os.rename(corpus, project.root / "old-corpus")
    corpus.symlink_to(outside)
    result = process_project(project)
    assert result.records == [] and result.registry.tags == []
    assert "corpus:1:1: error: leads outside the archive" in all_text(result)
    assert any(m.path == "corpus/tags.yml" and "outside the archive" in m.text for m in result.messages)
    assert str(outside) not in all_text(result)


def test_an_articles_folder_linked_inside_the_archive_is_read(make_archive):
    project = make_archive()
    texts = project.root / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(GOOD, encoding="utf-8")
    for child in project.articles.iterdir():
        child.unlink()
    project.articles.rmdir()
    project.articles.symlink_to(Path("..") / "texts")
    result = process_project(project)
    assert [r.id for r in result.records] == ["a"]


@pytest.mark.parametrize("registry", ["people.yml", "tags.yml", "sources.yml"])
@pytest.mark.parametrize("target", ["git-credentials", "id_ed25519"])
def test_a_registry_linked_to_a_secret_is_refused_and_never_quoted(make_archive, outside, registry, target):
    project = make_archive({"a.txt": GOOD})
    (project.corpus / registry).unlink(missing_ok=True)
    (project.corpus / registry).symlink_to(outside / target)
    result = process_project(project)
    messages = [m for m in result.messages if m.path == f"corpus/{registry}"]
    assert len(messages) == 1 and messages[0].severity == "error"
    assert "outside the archive" in messages[0].text and "never read" in messages[0].text
    text = all_text(result)
    assert "SECRET" not in text and "octocat" not in text and "PRIVATE" not in text and str(outside) not in text
    assert [r.id for r in result.records] == ["a"]          # one bad registry never stops the articles


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_registry_linked_to_a_device_is_refused_without_reading(make_archive, device):
    project = make_archive({"a.txt": GOOD})
    (project.corpus / "people.yml").unlink(missing_ok=True)
    (project.corpus / "people.yml").symlink_to(device)
    started = time.monotonic()
    registry = load_registry(project.corpus, project.root)
    assert time.monotonic() - started < 5
    assert [m.path for m in registry.messages] == ["corpus/people.yml"]
    assert "outside the archive" in registry.messages[0].text


def test_registries_that_are_special_files_inside_the_archive_are_refused(make_archive):
    project = make_archive({"a.txt": GOOD})
    for name in ("people.yml", "tags.yml", "sources.yml"):
        (project.corpus / name).unlink(missing_ok=True)
    (project.corpus / "people.yml").mkdir()
    os.mkfifo(project.corpus / "tags.yml")                     # would block a plain open() for ever
    (project.corpus / "real.yml").write_text("sources:\n  - name: Linked Times\n", encoding="utf-8")
    (project.corpus / "sources.yml").symlink_to("real.yml")    # a link inside the archive is fine
    registry = load_registry(project.corpus, project.root)
    found = {m.path: m.text for m in registry.messages}
    assert "is a folder" in found["corpus/people.yml"]
    assert "not a regular file" in found["corpus/tags.yml"]
    assert "corpus/sources.yml" not in found and [s.name for s in registry.sources] == ["Linked Times"]


def test_a_registry_over_the_size_limit_is_refused_before_reading(make_archive, monkeypatch):
    import builder.core.registry

    monkeypatch.setattr(builder.core.registry, "MAX_REGISTRY_BYTES", 1000)
    project = make_archive(people="people:\n" + "".join(f"  - name: Person Number{i}\n" for i in range(100)),
                           sources="sources: []\n")
    registry = load_registry(project.corpus, project.root)
    assert [(m.path, m.code) for m in registry.messages] == [("corpus/people.yml", "registry")]
    assert "over the 1000 bytes limit for a registry" in registry.messages[0].text
    assert "limit for a registry" in registry.messages[0].text and registry.people == []


@pytest.mark.parametrize("content, line", [
    ("password: [" + SECRET + "\n", 2),                               # broken YAML
    (SECRET + "\n", 1),                                               # a single value
    ("- " + SECRET + "\n", 1),                                        # a list
    ("[" + SECRET + "\n", 2),
    ("tags:\n  - tag: a\n\tbad: " + SECRET + "\n", 3),                # a tab
])
def test_a_registry_that_is_not_yaml_is_reported_by_line_without_quoting_it(make_archive, content, line):
    project = make_archive({"a.txt": GOOD}, tags=content)
    registry = load_registry(project.corpus, project.root)
    assert [(m.path, m.line, m.severity) for m in registry.messages] == [("corpus/tags.yml", line, "error")]
    assert "SECRET" not in registry.messages[0].text and "octocat" not in registry.messages[0].text


def test_no_absolute_path_outside_the_archive_reaches_the_report(make_archive, outside):
    project = make_archive({"a.txt": GOOD})
    (project.corpus / "tags.yml").unlink(missing_ok=True)
    (project.corpus / "tags.yml").symlink_to(outside / "git-credentials")
    (project.articles / "link.txt").symlink_to(outside / "passwd.txt")
    outcome = build(project)
    report = (outcome.site / "build-report.json").read_text(encoding="utf-8")
    page = (outcome.site / "report" / "index.html").read_text(encoding="utf-8")
    for text in (report, page):
        assert str(outside) not in text and "SECRET" not in text and "root:x" not in text
    assert not (outcome.site / "articles" / "link.html").exists()


# ---------------------------------------------------------------------------------------
# --site-dir and what a build may delete
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("site_dir", [".", "..", "corpus", "corpus/articles", "docs", "docs/articles",
                                      "theme_overrides", "corpus/site", "docs/site"])
def test_site_dir_never_replaces_the_archive(make_archive, site_dir, capsys):
    project = make_archive({"a.txt": GOOD})
    before = sorted(p.relative_to(project.root.parent).as_posix() for p in project.root.parent.rglob("*"))
    code, out = run_cli("-C", str(project.root), "build", "--site-dir", str(project.root / site_dir), capsys=capsys)
    assert code == 1
    assert "archive: build failed: --site-dir" in out and "choose a new folder" in out
    after = sorted(p.relative_to(project.root.parent).as_posix() for p in project.root.parent.rglob("*"))
    assert after == before


def test_site_dir_refuses_a_folder_it_did_not_build(make_archive, capsys):
    project = make_archive({"a.txt": GOOD})
    mine = project.root / "public"
    mine.mkdir()
    (mine / "notes.txt").write_text("my own notes\n", encoding="utf-8")
    code, out = run_cli("-C", str(project.root), "build", "--site-dir", str(mine), capsys=capsys)
    assert code == 1 and "was not built by 'archive build'" in out
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    # an empty folder, and then the site built there, are ours to replace
    empty = project.root / "empty"
    empty.mkdir()
    assert build(project, site_dir=empty).site == empty and (empty / MARKER).is_file()
    assert build(project, site_dir=empty).site == empty


def test_stale_build_folders_of_dead_builds_are_removed_and_others_kept(make_archive):
    project = make_archive({"a.txt": GOOD})
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    parent = project.root
    stale = [parent / f".site-building-{dead.pid}-abc123xy", parent / f".site-old-{dead.pid}"]
    live = parent / f".site-building-{os.getppid()}-zz"       # a running process owns it
    foreign = [parent / ".site-building-notapid", parent / f".other-building-{dead.pid}-a",
               parent / ".site-building-keep"]
    for folder in [*stale, live, *foreign]:
        folder.mkdir()
        (folder / "index.html").write_text("x", encoding="utf-8")
    link_target = parent / "precious"
    link_target.mkdir()
    (link_target / "keep.txt").write_text("x", encoding="utf-8")
    (parent / f".site-building-{dead.pid}-link").symlink_to(link_target)
    build(project)
    assert not any(p.exists() for p in stale)
    assert live.is_dir() and all(p.is_dir() for p in foreign)
    assert (link_target / "keep.txt").is_file()
    assert remove_stale(project.site) == []


def test_a_full_disk_fails_the_build_cleanly_and_keeps_the_old_site(make_archive, monkeypatch, capsys):
    import errno

    import mkdocs.utils

    project = make_archive({"a.txt": GOOD})
    first = build(project)
    old_index = (first.site / "index.html").read_bytes()
    (project.articles / "b.txt").write_text(OTHER, encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "site/.tmp")

    monkeypatch.setattr(mkdocs.utils, "write_file", full)
    monkeypatch.setattr(mkdocs.utils, "copy_file", full)
    code, out = run_cli("-C", str(project.root), "build", capsys=capsys)
    assert code == 1
    assert "archive: build failed: No space left on device" in out and "Traceback" not in out
    assert (first.site / "index.html").read_bytes() == old_index
    assert not (first.site / "articles" / "b.html").exists()
    assert [p.name for p in project.root.iterdir() if "-building-" in p.name or "-old-" in p.name] == []


def test_a_site_that_cannot_be_replaced_fails_cleanly_and_keeps_the_old_site(make_archive, monkeypatch, capsys):
    project = make_archive({"a.txt": GOOD})
    build(project)
    real_rename = Path.rename

    def refuse(self, target):
        if "-building-" in self.name and Path(target).name == "site":   # the new site cannot take its place
            raise PermissionError(13, "Permission denied", str(target))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse)
    code, out = run_cli("-C", str(project.root), "build", "--force", capsys=capsys)
    assert code == 1 and "archive: build failed: Permission denied (site)" in out
    assert (project.site / MARKER).is_file() and (project.site / "articles" / "a.html").is_file()
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site")) == []


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_build_leaves_nothing_the_next_build_does_not_remove(make_archive, sig):
    project = make_archive({f"a{i}.txt": GOOD.replace("Friday", f"day {i}") for i in range(30)})
    proc = subprocess.Popen([sys.executable, "-m", "builder", "-C", str(project.root), "build"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(project.root.glob(".site-building-*")):
        time.sleep(0.02)
    assert list(project.root.glob(".site-building-*")), "the build never started"
    proc.send_signal(sig)
    proc.wait()
    build(project)
    assert list(project.root.glob(".site-*")) == []
    assert (project.site / "articles" / "a0.html").is_file()


@pytest.mark.slow
def test_two_builds_at_once_both_succeed_and_leave_one_whole_site(make_archive):
    project = make_archive({f"a{i}.txt": GOOD.replace("Friday", f"day {i}") for i in range(10)})
    procs = [subprocess.Popen([sys.executable, "-m", "builder", "-C", str(project.root), "build"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    assert (project.site / MARKER).is_file()
    assert len(list((project.site / "articles").glob("a*.html"))) == 10
    assert list(project.root.glob(".site-*")) == []


def test_inspect_of_a_folder_is_a_clear_error(make_archive, capsys):
    project = make_archive({"a.txt": GOOD})
    code, out = run_cli("-C", str(project.root), "inspect", "corpus", capsys=capsys)
    assert code == 1 and "corpus:1:1: error: is a folder: name the article files" in out
    assert "internal error" not in out


# ---------------------------------------------------------------------------------------
# YAML features
# ---------------------------------------------------------------------------------------

def bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_a_yaml_bomb_in_front_matter_is_refused_at_once(make_archive):
    project = make_archive({"bomb.md": "---\ntitle: ok\n" + bomb() + "---\n\n" + GOOD, "a.txt": OTHER})
    started = time.monotonic()
    result = process_project(project)
    report = check_project(project)
    assert time.monotonic() - started < 30
    [error] = errors_of(result, "corpus/articles/bomb.md")
    assert "aliases and anchors (&name) are not allowed" in error
    line = next(m.line for m in files_of(result)["corpus/articles/bomb.md"].messages if m.severity == "error")
    assert line == 4                                        # the first alias, on the file's 4th line
    assert any(m.path.endswith("bomb.md") and m.severity == "error" for m in report.messages)
    assert [r.id for r in result.records] == ["a"]


@pytest.mark.parametrize("registry, key", [("people.yml", "people"), ("tags.yml", "tags"),
                                           ("sources.yml", "sources")])
def test_a_yaml_bomb_in_a_registry_is_refused_at_once(make_archive, registry, key):
    text = bomb() + f"{key}:\n  - {'name' if key != 'tags' else 'tag'}: *a8\n"
    project = make_archive({"a.txt": GOOD}, **{key: text})
    started = time.monotonic()
    reg = load_registry(project.corpus, project.root)
    assert time.monotonic() - started < 10
    assert [(m.path, m.line) for m in reg.messages] == [(f"corpus/{registry}", 2)]
    assert "aliases and anchors" in reg.messages[0].text


def test_a_single_alias_is_refused_with_its_line(make_archive):
    project = make_archive({"a.md": "---\ntitle: &t Same title\ndate: 2022\nsource: *t\n---\n\n" + GOOD})
    result = process_project(project)
    [m] = [m for m in files_of(result)["corpus/articles/a.md"].messages if m.severity == "error"]
    assert m.line == 4 and "repeats the value given on line 2" in m.text


@pytest.mark.parametrize("depth", [200, 5000])
def test_deeply_nested_yaml_is_an_error_not_a_crash(make_archive, depth):
    deep = "[" * depth + "]" * depth
    project = make_archive({"a.md": f"---\ntitle: {deep}\n---\n\n" + GOOD, "b.txt": OTHER},
                           tags=f"tags: {deep}\n")
    result = process_project(project)
    # too deep to read is an error; readable but not text is ignored by the build with a warning
    assert files_of(result)["corpus/articles/a.md"].status == ("error" if depth > 900 else "page")
    assert files_of(result)["corpus/articles/b.txt"].status == "page"
    assert any(m.path == "corpus/tags.yml" and m.severity == "error" for m in result.messages)
    assert "internal error" not in all_text(result)
    report = check_project(project)
    assert any(m.path == "corpus/articles/a.md" and m.severity == "error" for m in report.messages)


@pytest.mark.parametrize("written", ["0x10", "010", "1:30", "true", "no", "1.50", "1e3", "0o17", "2022-03-04",
                                     ".inf", "1_000"])
def test_ids_are_the_text_as_written_never_a_converted_number(make_archive, written):
    project = make_archive({"a.md": f"---\nid: {written}\ntitle: {written}\n---\n\n" + GOOD})
    result = process_project(project)
    f = files_of(result)["corpus/articles/a.md"]
    if written in (".inf", "1:30"):        # read as written, and not a valid id as written
        assert f.status == "error" and f"id '{written}' is not allowed" in errors_of(result, f.path)[0]
        return
    assert (f.status, f.id) == ("page", written)
    assert result.records[0].title.value == written
    report = check_project(project)
    assert [m for m in report.messages if m.severity == "error"] == []


# ---------------------------------------------------------------------------------------
# ids that are not what they look like
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("front, words", [
    ('id: "x\\n"', "is not allowed"),
    ('id: "x\\ny"', "is not allowed"),
    ("id: index", "is reserved"),
    ("id: README", "is reserved"),
    ("id: Index", "is reserved"),
    ("id: [a, b]", "one line of text"),
    ("id: {a: b}", "one line of text"),
    ("id: ''", "is not allowed"),
])
def test_bad_ids_are_refused_by_build_and_check_alike(make_archive, front, words):
    project = make_archive({"a.md": f"---\n{front}\n---\n\n" + GOOD, "b.txt": OTHER})
    result = process_project(project)
    assert files_of(result)["corpus/articles/a.md"].status == "error"
    assert any(words in e for e in errors_of(result, "corpus/articles/a.md"))
    assert [r.id for r in result.records] == ["b"]
    report = check_project(project)
    assert any(m.path == "corpus/articles/a.md" and m.severity == "error" for m in report.messages)
    assert not any("\n" in m.format() for m in report.messages)


@pytest.mark.parametrize("name, expected", [("index.txt", "index-article"), ("Index.md", "Index-article"),
                                            ("readme.txt", "readme-article"), ("sub/index.txt", "index-article")])
def test_file_names_of_index_pages_get_another_id_and_a_page(make_archive, name, expected):
    project = make_archive({name: GOOD})
    result = process_project(project)
    f = files_of(result)[f"corpus/articles/{name}"]
    assert (f.status, f.id) == ("page", expected)
    assert any("index page" in m.text and expected in m.text for m in f.messages)
    site = build(project).site
    assert (site / "articles" / f"{expected}.html").is_file()


def test_file_names_without_latin_letters_are_transliterated_and_all_published(make_archive):
    names = {"Київ.txt": "kiiv", "Харків.txt": "kharkiv", "Москва.txt": "moskva", "Αθήνα.txt": "athina",
             "北京.txt": "beijing", "東京.md": "dongjing", "القاهرة.txt": "lqhr"}
    project = make_archive({n: GOOD.replace("Friday", f"day {i}") for i, n in enumerate(names)})
    result = process_project(project)
    got = {Path(f.path).name: (f.status, f.id) for f in result.files}
    assert len({i for _, i in got.values()}) == len(names)
    for name in names:
        assert got[name][0] == "page", got[name]
        assert got[name][1].isascii() and got[name][1]


# ---------------------------------------------------------------------------------------
# caps
# ---------------------------------------------------------------------------------------

def test_thousands_of_tags_or_people_are_cut_to_the_cap_with_a_warning(make_archive):
    tags = "[" + ", ".join(f"tag{i}" for i in range(3000)) + "]"
    people = "[" + ", ".join(f"Person Number{i}" for i in range(1000)) + "]"
    project = make_archive({"a.md": f"---\ntags: {tags}\npeople: {people}\n---\n\n" + GOOD})
    result = process_project(project)
    record = result.records[0]
    assert len(record.tags.value) <= MAX_TAGS + 5 and len(record.people) <= MAX_PEOPLE
    warnings = [m.text for m in result.files[0].messages if m.severity == "warning"]
    assert any(f"3,000 tags given, over the limit of {MAX_TAGS}" in w for w in warnings)
    assert any(f"1,000 people given, over the limit of {MAX_PEOPLE}" in w for w in warnings)


def test_a_date_set_of_thousands_of_dates_is_ignored_quickly(make_archive):
    dates = ",".join(f"{2000 + i // 365:04d}-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(4000))
    project = make_archive({"a.md": f"---\ndate: '{{{dates}}}'\n---\n\n" + GOOD})
    started = time.monotonic()
    result = process_project(project)
    report = check_project(project)
    assert time.monotonic() - started < 30
    assert result.records[0].date.value == "2022-03-04"         # from the text
    assert any(f"{MAX_DATE_MEMBERS} dates in a set" in m.text for m in result.files[0].messages)
    assert any(m.code == "date" for m in report.messages)


def test_a_small_date_set_is_still_accepted(make_archive):
    project = make_archive({"a.md": "---\ndate: '[2022-03-04, 2022-03-05]'\n---\n\n" + GOOD})
    result = process_project(project)
    assert result.records[0].date.value == "[2022-03-04, 2022-03-05]"


# ---------------------------------------------------------------------------------------
# encodings
# ---------------------------------------------------------------------------------------

CYRILLIC = ("Киев, 4 марта 2022 года. Лидеры НАТО отказались вводить бесполётную зону над Украиной, "
            "сообщили в Брюсселе.\n\nАльянс не будет отправлять самолёты в воздушное пространство Украины.\n")


@pytest.mark.parametrize("encoding, name", [("cp1251", "Windows-1251"), ("koi8_r", "KOI8-R")])
def test_a_cyrillic_legacy_file_is_read_right_with_a_warning(tmp_path, encoding, name):
    path = tmp_path / "a.txt"
    path.write_bytes(CYRILLIC.encode(encoding))
    doc = read_file(path, "a.txt")
    assert "\n\n".join(p.text for p in doc.body) + "\n" == CYRILLIC.replace("\n\n", "\n\n")
    [m] = doc.messages
    assert m.severity == "warning" and "not saved as UTF-8" in m.text and name in m.text


@pytest.mark.parametrize("text", [
    "Kyiv, 4 March 2022. He said \u201cno\u201d to the zone \u2014 firmly, at the caf\u00e9.\n",
    "M\u00fcnchen, 4 March 2022. Gr\u00fc\u00dfe aus der Stra\u00dfe; \u00e0 bient\u00f4t, na\u00efve \u00e9l\u00e8ve.\n",
    "Kyiv. \u2018Quoted\u2019 \u2026 and \u20ac5 \u2013 that is all.\n",
])
def test_windows_1252_files_are_still_read_right(tmp_path, text):
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("cp1252"))
    doc = read_file(path, "a.txt")
    assert doc.body[0].text == text.strip()
    assert "Windows-1252" in doc.messages[0].text


def test_build_report_json_is_valid_for_every_attack(make_archive, outside, monkeypatch):
    monkeypatch.setenv("ARCHIVE_SITE_URL", "https://archive.example.org/")     # else the report warns of its absence
    project = make_archive({"bomb.md": "---\n" + bomb() + "---\n\n" + GOOD, "ok.txt": OTHER,
                            "Київ.txt": GOOD, "index.txt": GOOD.replace("Friday", "Monday")},
                           people=bomb())
    (project.corpus / "tags.yml").unlink(missing_ok=True)
    (project.corpus / "tags.yml").symlink_to(outside / "git-credentials")
    outcome = build(project)
    data = json.loads((outcome.site / "build-report.json").read_text(encoding="utf-8"))
    fates = {f["path"]: f["fate"] for f in data["files"]}
    assert fates == {"corpus/articles/bomb.md": "error", "corpus/articles/index.txt": "page",
                     "corpus/articles/ok.txt": "page", "corpus/articles/Київ.txt": "page"}
    assert {m["path"] for m in data["registries"]} == {"corpus/people.yml", "corpus/tags.yml"}


# ---------------------------------------------------------------------------------------
# check and build agree, with --changed-since too
# ---------------------------------------------------------------------------------------

def committed(project: Project) -> None:
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "base"]):
        subprocess.run(["git", "-C", str(project.root), *args], check=True, capture_output=True)


@pytest.mark.parametrize("old, new", [("case.md", "Case.txt"), ("kiiv.md", "Київ.txt"), ("a.txt", "A.md")])
def test_changed_since_flags_both_files_of_a_case_or_transliteration_clash(make_archive, old, new):
    project = make_archive({old: GOOD})
    committed(project)
    (project.articles / new).write_text(OTHER, encoding="utf-8")
    build_fate = {f.path: f.status for f in process_project(project).files}
    assert set(build_fate.values()) == {"error"}
    report = check_project(project, "HEAD")
    flagged = {m.path for m in report.messages if m.severity == "error" and m.code == "duplicate-id"}
    assert flagged == set(build_fate)


def test_a_pull_request_editing_only_a_registry_checks_the_articles_it_affects(make_archive):
    line = "Kyiv, 4 March 2022. NATO leaders refused to impose a no-fly zone over Ukraine on Friday, officials said."
    project = make_archive({"short.txt": line + "\n", "long.txt": OTHER},
                           sources="sources:\n  - name: Daily Post\n")
    committed(project)
    assert check_project(project, "HEAD").checked == 0
    (project.corpus / "sources.yml").write_text(f"sources:\n  - name: Daily Post\n    boilerplate:\n      - {line}\n",
                                                encoding="utf-8")
    build_fate = {f.path: f.status for f in process_project(project).files}
    assert build_fate == {"corpus/articles/long.txt": "page", "corpus/articles/short.txt": "error"}
    report = check_project(project, "HEAD")
    assert report.checked == 2
    assert {m.path for m in report.messages if m.severity == "error"} == {"corpus/articles/short.txt"}


def test_a_pull_request_turning_the_articles_folder_into_a_link_fails_the_check(make_archive, outside, monkeypatch):
    monkeypatch.setenv("ARCHIVE_SITE_URL", "https://archive.example.org/")     # else the report warns of its absence
    project = make_archive({"a.txt": GOOD})
    committed(project)
    for child in project.articles.iterdir():
        child.unlink()
    project.articles.rmdir()
    project.articles.symlink_to(outside)
    report = check_project(project, "HEAD")
    assert [(m.path, m.severity) for m in report.messages] == [("corpus/articles", "error")]
    assert "root:x" not in report.messages[0].text


@pytest.mark.parametrize("where", ["docs/leak.txt", "docs/assets/leak.md", "theme_overrides/leak.html"])
def test_a_link_in_docs_or_the_theme_leading_out_stops_the_build(make_archive, outside, where, capsys):
    project = make_archive({"a.txt": GOOD})
    link = project.root / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside / "git-credentials")
    code, out = run_cli("-C", str(project.root), "build", capsys=capsys)
    assert code == 1 and f"archive: build failed: {where}: symbolic link leading outside the archive" in out
    assert not project.site.exists()
    assert "SECRET" not in out


def test_paragraphs_of_a_long_web_page_keep_their_source_lines(tmp_path):
    paras = [f"Paragraph number {i} says that NATO &amp; its allies met on day {i} in Brussels." for i in range(300)]
    page = "<!doctype html>\n<html><head><title>Long page</title></head><body><article>\n" + \
        "\n".join(f"<p>{p}</p>" for p in paras) + "\n</article></body></html>\n"
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = read_file(path, "page.html")
    lines = {line.text: line.line for line in doc.body}
    for i in (0, 1, 150, 299):
        text = paras[i].replace("&amp;", "&")
        assert lines[text] == i + 3, (i, lines.get(text))


def test_a_read_only_file_system_fails_the_build_cleanly(make_archive, monkeypatch, capsys):
    import errno
    import tempfile

    project = make_archive({"a.txt": GOOD})
    build(project)

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(project.root))

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    code, out = run_cli("-C", str(project.root), "build", "--force", capsys=capsys)
    assert code == 1 and "archive: build failed: Read-only file system" in out and "Traceback" not in out
    assert (project.site / "articles" / "a.html").is_file()


@pytest.mark.parametrize("name", ["-x.txt", "x!.txt", "!!!.txt", "™.txt", "—.md", "a" * 200 + ".txt"])
def test_odd_file_names_still_become_pages_with_url_safe_ids(make_archive, name):
    project = make_archive({name: GOOD})
    result = process_project(project)
    [f] = result.files
    assert f.status == "page" and re.fullmatch(r"[a-z0-9][a-z0-9-]{0,119}", f.id), f.id


def test_links_into_the_archives_git_folder_are_refused(make_archive):
    project = make_archive({"a.txt": GOOD})
    git_dir = project.root / ".git"
    git_dir.mkdir()
    (git_dir / "config").write_text(f"[remote \"origin\"]\n\turl = {SECRET}\n", encoding="utf-8")
    (git_dir / "notes.yml").write_text(f"people:\n  - name: {SECRET}\n", encoding="utf-8")
    (project.corpus / "people.yml").unlink(missing_ok=True)
    (project.corpus / "people.yml").symlink_to(git_dir / "notes.yml")
    (project.articles / "config.txt").symlink_to(git_dir / "config")
    result = process_project(project)
    assert "SECRET" not in all_text(result) and result.registry.people == []
    assert files_of(result)["corpus/articles/config.txt"].status == "error"
    assert [r.id for r in result.records] == ["a"]


@pytest.mark.parametrize("text, encoding, name", [
    ("Αθήνα, 4 Μαρτίου 2022. Το ΝΑΤΟ αρνήθηκε να επιβάλει ζώνη απαγόρευσης πτήσεων πάνω από την Ουκρανία.\n",
     "cp1253", "Greek"),
    ("東京、2022年3月4日。北大西洋条約機構はウクライナ上空の飛行禁止区域の設定を拒否したと当局者が述べた。\n",
     "shift_jis", "Japanese"),
])
def test_other_scripts_in_legacy_encodings_are_read_right(tmp_path, text, encoding, name):
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_file(path, "a.txt")
    assert doc.body[0].text == text.strip()
    assert name in doc.messages[0].text


def test_the_replaced_site_is_removed_in_the_background_and_only_a_folder_named_as_ours(make_archive):
    from builder.mkdocs import publish

    project = make_archive({"a.txt": GOOD})
    build(project)
    build(project, force=True)                  # replaces the site: the old one goes in a detached process
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and list(project.root.glob(".site-old-*")):
        time.sleep(0.05)
    assert list(project.root.glob(".site-*")) == [] and (project.site / MARKER).is_file()
    foreign = project.root / "keep-me"
    foreign.mkdir()
    (foreign / "index.html").write_text("x", encoding="utf-8")
    subprocess.run([sys.executable, "-c", publish._DISCARD, str(foreign), publish._OLD], check=True)
    assert (foreign / "index.html").is_file()
