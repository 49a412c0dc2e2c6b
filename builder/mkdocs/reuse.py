"""Reusing the previous build's HTML for generated pages whose every input is unchanged.

MkDocs converts and templates every page at every build: at 10,000 articles that is 22,000
pages and two minutes, for one added article. A generated page's HTML is a function of its
Markdown, what the templates read about it (its citation's registry facts, its feed), and
things every page shares (the MkDocs configuration, the theme, the people's pages under
``docs/``, this package's code and the versions of MkDocs, Material and Markdown). Those
become one key per page; when the key equals the one stored for the page at the previous
build, and that build's file still has the bytes recorded for it, the page is not converted
and not templated: its previous HTML is written as is. The output is byte-identical to a
full build (tested), so a page is never stale.

Most reused pages do not even reach MkDocs as pages (``copyable``): MkDocs would still read,
template and write each one (~1-2 ms a page, 30,000 pages at 10,000 articles). The plugin
hands them over as files to copy at the same address (``adapter.copied_page``), hard-linked
from the previous site, and puts them back into ``sitemap.xml``, the one output MkDocs makes
from its list of pages. Pages in the navigation and index pages still go through MkDocs (with
an empty Markdown and template, their previous HTML written after): they are few, and MkDocs or
the archive's search read them as pages.

A page is never reused when its last build logged a warning (a strict build must see it
again), and reuse is off when a plugin other than the archive's own, Material's search and
offline ones is enabled (another plugin may change pages in ways no key here can see), when
Material's search indexes pages (it reads their HTML), and when there is no previous site
(the first build records its pages). The manifest lives in ``.cache/pages/`` and is the builder's own: deleting it costs one full
build.

The manifest is data, not trusted: whoever can write ``site/`` and ``.cache/`` (a shared
checkout, a cache restored from elsewhere) could otherwise edit a page's HTML, record its new
hash, and have every later build publish it. So the manifest carries an HMAC made with a key
kept outside the archive (``$XDG_CACHE_HOME/archive-builder/mkdocs/reuse.key``, or the
``ARCHIVE_REUSE_SECRET`` variable, e.g. a CI secret): a manifest this machine's builds did not
write, or that was edited, reuses nothing. The key is not part of any page key, so a moved or
cloned archive on the same machine keeps its reuse.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePath

FORMAT = 3
SECRET_ENV = "ARCHIVE_REUSE_SECRET"
log = logging.getLogger("archive")
TEMPLATE = "archive-reused-page.html"      # renders nothing: the previous HTML replaces it
KNOWN_PLUGINS = {"archive", "search", "material/search", "offline", "material/offline"}
MANIFEST = "manifest.json"
MARKDOWN = "markdown.json"            # in .cache/pages/: each generated page's inputs' key and Markdown digest
_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")


@dataclass
class Plan:
    """This build's reuse: the stored manifest, the pages reused, the keys to store."""

    previous_site: Path | None
    folder: Path
    reused: dict[str, str] = field(default_factory=dict)      # src_uri -> dest_uri in the previous site
    keys: dict[str, str] = field(default_factory=dict)        # src_uri -> key, every generated page
    stored: dict[str, list[str]] = field(default_factory=dict)  # src_uri -> [key, sha256 of its HTML]
    warned: set[str] = field(default_factory=set)

    def output(self, src_uri: str) -> str | None:
        """The previous HTML of a reused page (None when it is not reused)."""
        dest = self.reused.get(src_uri)
        if dest is None:
            return None
        return (self.previous_site / dest).read_bytes().decode("utf-8")

    def record(self, src_uri: str, output: str) -> None:
        if src_uri in self.keys:
            data = output.encode("utf-8", errors="xmlcharrefreplace")       # as MkDocs writes it
            self.stored[src_uri] = [self.keys[src_uri], hashlib.sha256(data).hexdigest()]

    def save(self) -> None:
        """Write the manifest of this build's pages (not those that warned) atomically."""
        _write_signed(self.folder / MANIFEST, {k: v for k, v in self.stored.items() if k not in self.warned})


def _write_signed(path: Path, pages: dict) -> None:
    """``pages`` with this machine's HMAC, written atomically. The pages are encoded once, as the
    HMAC reads them, and that text is the file's (``json.dump`` to a file encodes in Python: a
    second at 28,000 pages)."""
    text = _canonical(pages)
    key = secret()
    mac = _mac_of(text, key, path.name) if key is not None else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f'{{"format": {json.dumps(FORMAT)}, "pages": {text}, "mac": {json.dumps(mac)}}}')
    os.replace(tmp, path)


def markdown_digests(folder: Path) -> dict:
    """The previous build's generated pages: path -> [key of its inputs, SHA-256 of its Markdown]
    (``builder/outputs/pageplan.py``), when the file carries this machine's HMAC. Signed for the
    same reason as the manifest: an entry pairing a page's new inputs with its old Markdown's
    digest would have the old HTML reused."""
    return _stored_pages(Path(folder) / MARKDOWN)


def save_markdown_digests(folder: Path, digests: dict) -> None:
    _write_signed(Path(folder) / MARKDOWN, digests)


def secret() -> bytes | None:
    """The key that signs page manifests: ``ARCHIVE_REUSE_SECRET``, else a random key made once
    in the user's cache folder, outside every archive (None when there is none to be had: then
    nothing is reused)."""
    given = os.environ.get(SECRET_ENV)
    if given:
        return given.encode("utf-8", "surrogateescape")
    try:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "archive-builder"
        path = folder / "reuse.key"
        if not path.is_file():
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            with contextlib.suppress(FileExistsError), os.fdopen(
                    os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
                handle.write(secrets.token_hex(32).encode())
        key = path.read_bytes()
    except (OSError, RuntimeError):         # no home folder, a read-only one
        return None
    return key if len(key) >= 32 else None


def _canonical(pages: dict) -> str:
    """The text a signed file's pages are signed as: sorted, compact, ASCII."""
    return json.dumps(pages, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _mac_of(text: str, key: bytes, name: str) -> str:
    return hmac.new(key, name.encode() + b"\0" + text.encode(), hashlib.sha256).hexdigest()


def _mac(pages: dict, key: bytes | None, name: str = MANIFEST) -> str:
    """The HMAC of a signed file's pages; its name is signed too, so one file cannot pass for another."""
    if key is None:
        return ""
    return _mac_of(_canonical(pages), key, name)


def _stored_pages(path: Path) -> dict:
    """A manifest's pages, if it is well formed and carries this machine's HMAC."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        pages, mac = stored["pages"], stored["mac"]
        if stored.get("format") != FORMAT or not isinstance(pages, dict) or not isinstance(mac, str):
            return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return {}                                   # missing or damaged: a full build, never a guess
    expected = _mac(pages, secret(), path.name)
    if not expected or not hmac.compare_digest(expected, mac):
        log.info("archive: %s was not written by this machine's builds, or was edited: every page is built",
                 path.as_posix())
        return {}
    return pages


# the maintainer's guide, in the package folder but read by no build: editing it rebuilds nothing
PACKAGE_DOCS = frozenset({"README.md"})


def _hash_tree(h, folder: Path, ignore: frozenset[str] = frozenset()) -> None:
    """Every file's path and bytes under ``folder`` but compiled bytecode and the paths in ``ignore``."""
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and p.relative_to(folder).as_posix() not in ignore):
        h.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


def shared_fingerprint(config, generated: set[str]) -> str:
    """What every page's HTML depends on besides its own Markdown."""
    h = hashlib.sha256(f"reuse format {FORMAT}".encode())
    for name in _PACKAGES:
        try:
            h.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} -\n".encode())
    _hash_tree(h, Path(__file__).resolve().parents[1], PACKAGE_DOCS)     # this package: code, templates, theme
    if config.config_file_path and Path(config.config_file_path).is_file():
        h.update(Path(config.config_file_path).read_bytes())
    values = {key: config.get(key) for key in (
        "site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
        "edit_uri", "use_directory_urls", "nav", "extra", "extra_css", "extra_javascript",
        "markdown_extensions", "mdx_configs", "strict", "docs_dir")}
    values["theme"] = {"name": config.theme.name, **dict(config.theme)}
    h.update(root_relative(json.dumps(values, sort_keys=True, default=str), config).encode())
    material = Path(__import__("material").__file__).resolve().parent
    for folder in config.theme.dirs:                            # the archive's and the user's overrides
        if not Path(folder).resolve().is_relative_to(material):
            _hash_tree(h, Path(folder))
    docs = Path(config.docs_dir)                                 # pages people wrote: titles in the nav
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        rel = path.relative_to(docs).as_posix()
        if rel not in generated:
            h.update(rel.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def root_relative(text: str, config) -> str:
    """``text`` with the archive folder's absolute path (as JSON writes it) replaced by ``<root>``:
    MkDocs makes ``docs_dir`` and the theme's folders absolute, and a key that holds them would
    change when the archive is moved, renamed or cloned elsewhere (no page would be reused)."""
    if not config.config_file_path:
        return text
    root = Path(config.config_file_path).parent
    for path in sorted({str(root.absolute()), str(root.resolve())}, key=len, reverse=True):
        text = text.replace(json.dumps(path)[1:-1], "<root>")
    return text


def page_key(shared: str, src_uri: str, markdown_digest: str, extra) -> str:
    """A page's key: the shared inputs, its path, the SHA-256 of its Markdown, its other inputs."""
    data = json.dumps([shared, src_uri, markdown_digest, extra], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def usable(config, material_search_indexes: bool) -> bool:
    """Reuse needs no plugin whose effect no key can see, and no search plugin reading the
    pages' HTML. (Without a previous site nothing is reused, but the pages are recorded.)"""
    return not material_search_indexes and set(config.plugins) <= KNOWN_PLUGINS


def plan(config, previous_site: Path | None, folder: Path, pages: dict[str, tuple[str, str, object]]) -> Plan:
    """Decide which pages are reused. ``pages``: src_uri -> (dest_uri, SHA-256 of its Markdown,
    extra inputs)."""
    result = Plan(Path(previous_site) if previous_site else None, Path(folder))
    shared = shared_fingerprint(config, set(pages))
    old = _stored_pages(result.folder / MANIFEST)
    candidates = []
    for src_uri, (dest_uri, markdown_digest, extra) in pages.items():
        key = page_key(shared, src_uri, markdown_digest, extra)
        result.keys[src_uri] = key
        entry = old.get(src_uri)
        if result.previous_site is not None and isinstance(entry, list) and len(entry) == 2 and entry[0] == key:
            candidates.append((src_uri, dest_uri, key, entry[1]))
    # 700 MB of HTML at 10,000 articles: read and hashed on two threads (both release the GIL)
    with ThreadPoolExecutor(max_workers=2) as pool:
        unchanged = list(pool.map(lambda c: _has_hash(result.previous_site / c[1], c[3]), candidates))
    for (src_uri, dest_uri, key, sha), same in zip(candidates, unchanged):
        if same:
            result.reused[src_uri] = dest_uri
            result.stored[src_uri] = [key, sha]        # what on_post_page would record, if it sees it
    return result


def _has_hash(path: Path, sha: str) -> bool:
    """The file at ``path`` still has the bytes whose SHA-256 the manifest recorded."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha
    except OSError:
        return False


def copyable(config, reused: Plan) -> list[str]:
    """The reused pages MkDocs need not see as pages at all: the plugin hands them to MkDocs as
    files to copy (``adapter.copied_page``). Not when MkDocs makes the navigation from every page
    (no ``nav:``), nor when drafts are configured (``mkdocs serve`` marks a draft in its HTML);
    never a page in the navigation (MkDocs makes a Page of whatever file a nav entry names) nor an
    index page (the archive's search notes their titles while they are templated); they are few."""
    if reused.previous_site is None or config.nav is None or config.get("draft_docs"):
        return []
    in_nav = nav_paths(config.nav)
    return sorted(src for src in reused.reused
                  if src not in in_nav and src != "index.md" and not src.endswith("/index.md"))


def nav_paths(nav) -> set[str]:
    """Every path ``nav:`` names, at any depth, as MkDocs looks it up."""
    found, todo = set(), [nav]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            found.add(PurePath(item).as_posix())
        elif isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return found


class Spool:
    """Pages' HTML kept on disk between MkDocs' two passes, not in memory.

    MkDocs converts every page's Markdown first and templates every page after, so all the
    pages' HTML is held at once: 600 MB at 10,000 articles. Under the same conditions as reuse
    (no plugin that could read another page's HTML meanwhile), the plugin writes each generated
    page's HTML here when it is converted and reads it back just before that page is templated.
    One temporary file, created and removed by the plugin."""

    def __init__(self) -> None:
        fd, name = tempfile.mkstemp(prefix="archive-pages-", suffix=".spool")
        self.path = Path(name)
        self._file = os.fdopen(fd, "w+b")
        self._where: dict[str, tuple[int, int]] = {}

    def put(self, key: str, html: str) -> None:
        data = html.encode("utf-8", "surrogatepass")
        self._file.seek(0, os.SEEK_END)
        self._where[key] = (self._file.tell(), len(data))
        self._file.write(data)

    def take(self, key: str) -> str | None:
        where = self._where.pop(key, None)
        if where is None:
            return None
        self._file.seek(where[0])
        return self._file.read(where[1]).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)
