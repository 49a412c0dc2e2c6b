"""``archive new DIR``: a new, complete archive that builds at once (like ``mkdocs new``).

The new folder gets what this repository has: the site configuration, home and about
pages, the contributing guide (``docs/contributing.md``), the pull-request and deploy
workflows (``.github/workflows/``), a ``.gitignore`` for what the build writes, and a
``requirements.txt`` naming the archive tools so that they install (``toolsource.py``:
a pinned VCS address, or a wheel of the running tools in ``tools/``). The Material template overrides are
NOT copied: the ``archive`` plugin loads them from the installed package, so upgrading
the tools reaches every page; a ``theme_overrides/`` folder in the archive overrides any
of their files (see ``core.toolsource.theme_dirs``).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from ..core import toolsource
from ..core.toolsource import packaged as _packaged

MKDOCS_YML = """\
# Site configuration. The 'archive' plugin generates the article and index pages from
# corpus/ before MkDocs builds; 'offline' makes the built site, search included, work
# when opened from the file system. Keep nav short: articles and person pages are
# reached through the index pages (a full nav makes builds quadratic in the page count).
site_name: {site_name}
site_description: {site_description}
# The archive's public address: canonical links, sitemap.xml, citations and feeds use it. The
# publishing workflow sets ARCHIVE_SITE_URL to the GitHub Pages address (or your own domain);
# elsewhere the address after it is used, e.g. [ARCHIVE_SITE_URL, "https://example.org/archive/"].
site_url: !ENV {site_url}
docs_dir: docs
site_dir: site
use_directory_urls: false
strict: false

# The archive's templates come from the installed archive tools (the 'archive' plugin adds
# them); a theme_overrides/ folder here, if you make one, overrides any of their files.
theme:
  name: material
  language: en
  font: false            # no web fonts: the site makes no external requests
  features:
    - navigation.tabs
    - search.highlight
    - search.suggest
  # a light and a dark palette, with a toggle in the header (both checked for WCAG 2.2 AA contrast)
  palette:
    - scheme: default
      primary: blue grey
      accent: indigo
      toggle:
        icon: material/brightness-4
        name: Switch to the dark palette
    - scheme: slate
      primary: blue grey
      accent: indigo
      toggle:
        icon: material/brightness-7
        name: Switch to the light palette

extra:
  # Material's offline plugin would load this shim from a CDN; it is shipped with the site
  polyfills:
    - assets/javascripts/iframe-worker-shim.js
  generator: false

extra_css:
  - assets/stylesheets/archive.css

plugins:
  - search:
      lang: en
  - offline
  - archive

nav:
  - Home: index.md
  - People: people/index.md
  - Tags: tags/index.md
  - Sources: sources/index.md
  - Timeline: timeline/index.md
  - Stories: stories/index.md
  - Quotes: quotes/index.md
  - Data: data.md
  - About: about.md
  - Contributing: contributing.md
  - Build report: report/index.md

markdown_extensions:
  - attr_list
  - toc:
      permalink: true

validation:
  nav:
    omitted_files: info
    not_found: warn
  links:
    not_found: warn
    anchors: warn
    absolute_links: info
    unrecognized_links: warn
"""

INDEX_MD = """\
---
title: Home
---

# {site_name}

{intro}

Find articles by [person](people/index.md), [tag](tags/index.md), [source](sources/index.md) or
[date](timeline/index.md), or search the full text with the search box. Every article has a stable
address that never changes when the archive is rebuilt.

<!-- archive:summary -->
"""

ABOUT_MD = """\
---
title: About
---

# About this archive

Each article in this archive was collected as a file in `corpus/articles/` and turned into a page by
an automatic pipeline: the text was cleaned of site furniture (app promotions, share buttons,
duplicated captions, reader comments), and the title, date, source, people and tags were taken from
the file's front matter when an archivist gave them, or inferred from the text. Every article page
ends with **How this record was made**, which says for each value where it came from.

## Citing an article

Cite an article by its id and its page address. Both are stable: an article's address is its id,
which comes from its file name (or an `id:` in its front matter) and never changes when the inference
improves.

## Dates

Dates are written in the Extended Date/Time Format (EDTF) of the Library of Congress: `2022-03-04` is
a day, `2022-12` a month, `2022` a year, and `2022?` an uncertain year. A date is never worked out
from the day the archive was built.

## Working offline

The site can be copied and opened from the file system; search works there too. It makes no
requests to other sites.

## Licences

Built with MkDocs and Material for MkDocs. The site ships `iframe-worker` (MIT licence, by Martin
Donath), which Material's own search needs from the file system if you opt in to it
(`search: material`); the archive's search, the default at every size, works there without it.
"""

REGISTRIES = {
    "people.yml": """\
# People named in the archive: one entry per person.
#   name:         the canonical name every page uses
#   aliases:      other spellings and short forms that mean this person (transliterations, surname alone)
#   description:  a short line shown on the person's page
#   wikidata:     the Wikidata item id (Q...), linked from the person's page
# not_people: names the archive takes for people that are not (a firm, a work, a club); they
# never get a person page, e.g.  not_people: [Paine Webber, Aston Martin]
people: []
""",
    "tags.yml": """\
# The controlled vocabulary of subject tags.
#   tag:          the tag as shown and linked
#   description:  a line shown on the tag's page
#   phrases:      words in an article's text that assign the tag (case-insensitive, whole words)
tags: []
""",
    "sources.yml": """\
# Outlets the archive's articles come from.
#   name:         how the outlet is shown and linked
#   url:          the outlet's home page; links to this host identify the outlet
#   signatures:   text found in the outlet's own site furniture (promos, sign-offs), case-insensitive;
#                 an outlet merely quoted in a story never counts
#   boilerplate:  whole lines the outlet adds to its pages; removed from the article text
sources: []
""",
}

GITIGNORE = """\
# what 'archive build' writes: the site, its temporary build folders, caches
/site/
/.site-*
/.cache/
# Python environments
/.venv/
/venv/
__pycache__/
"""

REQUIREMENTS = """\
# The archive tools this archive is built with (the workflows install them from here), taken
# from {why}. The theme and the pipeline come from this package: to upgrade, point this line
# at a newer release, e.g.
#   news-archive-builder @ git+https://github.com/OWNER/REPOSITORY@v0.2.0
# ('archive new --tool-source ADDRESS' writes it so), or replace the wheel in tools/.
{requirement}
"""

README_MD = """\
# {site_name}

A searchable archive of news articles, built with the archive tools
(`news-archive-builder`, named in `requirements.txt`: a pinned release, or the wheel in `tools/`).

```sh
python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
.venv/bin/archive build        # build site/ from corpus/ (open site/index.html)
.venv/bin/archive serve        # live preview at http://127.0.0.1:8000
.venv/bin/archive add FILE     # add an article, with its front matter to review
.venv/bin/archive check        # what is wrong, as path:line:column: severity: message
```

How to add and correct articles: [docs/contributing.md](docs/contributing.md). Every pull
request is checked and built (`.github/workflows/pull-request.yml`; the run's summary shows what
each changed article will publish); every push to `main` publishes the site on GitHub Pages
(`.github/workflows/publish.yml`; in the repository's Settings > Pages, set Source to "GitHub
Actions"). Both keep `.cache/` between runs, so a build redoes only what changed.

The site's address (for `sitemap.xml`, feeds and citations) comes from `ARCHIVE_SITE_URL`, which
the workflows set; elsewhere `archive check` and `archive build` warn until you set it, or give a
default in `mkdocs.yml` (`site_url: !ENV [ARCHIVE_SITE_URL, "https://..."]`).
"""


def workflow_texts() -> dict[str, str]:
    """This repository's GitHub workflows, made to install the tools from requirements.txt."""
    folder = _packaged("_archive_template/workflows", ".github/workflows")
    out = {}
    for path in sorted(folder.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        text = text.replace("pyproject.toml", "requirements.txt")
        text = text.replace("run: pip install .\n", "run: pip install -r requirements.txt\n")
        out[path.name] = text
    return out


def contributing_text() -> str:
    """This repository's contributing guide, made to install the tools from requirements.txt."""
    text = _packaged("_archive_template/contributing.md", "docs/contributing.md").read_text(encoding="utf-8")
    return re.sub(r"\(`pip install \.` in a copy of the(\s+)repository\)",
                  r"(`pip install -r requirements.txt` in a copy of the\1repository)", text)


URL = re.compile(r"^https?://[^\s/?#]+(?:/[^\s]*)?$", re.I)


def check_url(url: str) -> str:
    """The site's address as mkdocs.yml should hold it (with a final '/'), or ValueError."""
    url = url.strip()
    if not URL.match(url):
        raise ValueError(f"'{url}' is not a web address: give the whole address, e.g. "
                         "https://example.github.io/my-archive/")
    return url if url.endswith("/") else url + "/"


def new_archive(target: Path, site_name: str | None = None, site_url: str | None = None,
                tool_source: str | None = None) -> list[Path]:
    """Create the archive in ``target``; refuses to overwrite an existing archive. ``tool_source``
    is where the archive installs the tools from (see ``toolsource.choose``)."""
    target = Path(target)
    if (target / "mkdocs.yml").exists() or (target / "corpus").exists():
        raise FileExistsError(f"{target} already holds an archive (mkdocs.yml or corpus/ exists)")
    url = check_url(site_url) if site_url else None
    tools = toolsource.choose(tool_source)
    name = site_name or target.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "News archive"
    created: list[Path] = []
    for rel, text in _archive_files(name, url, tools).items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    wheel = toolsource.write_into(tools, target)
    return created + ([wheel] if wheel else [])


def _archive_files(name: str, url: str | None, tools) -> dict[str, str]:
    """Each file of a new archive (path inside it -> text)."""
    return {
        "mkdocs.yml": MKDOCS_YML.format(site_name=_yaml_str(name), site_url=f"[ARCHIVE_SITE_URL, {_yaml_str(url)}]" if url else "[ARCHIVE_SITE_URL]",
                                        site_description=_yaml_str(f"{name}: a searchable news archive")),
        "docs/index.md": INDEX_MD.format(site_name=name, intro="A searchable archive of news articles."),
        "docs/about.md": ABOUT_MD,
        "docs/contributing.md": contributing_text(),
        "docs/data.md": _packaged("_archive_template/data.md", "docs/data.md").read_text(encoding="utf-8"),
        "README.md": README_MD.format(site_name=name),
        "requirements.txt": REQUIREMENTS.format(why=tools.why, requirement=tools.requirement),
        ".gitignore": GITIGNORE,
        **{f".github/workflows/{k}": v for k, v in workflow_texts().items()},
        "corpus/articles/.gitkeep": "",
        **{f"corpus/{k}": v for k, v in REGISTRIES.items()},
        # major English-language outlets, so a new archive names them from the start
        "corpus/sources.yml": resources.files("builder").joinpath("data", "starter-sources.yml").read_text(
            encoding="utf-8"),
    }


def _yaml_str(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
