"""``archive new DIR``: a new, empty archive that builds at once (like ``mkdocs new``).

This repository's own archive of the seed articles is such a folder. The Material
template overrides are copied from the package (``theme_overrides/`` of the source tree).
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

MKDOCS_YML = """\
# Site configuration. The 'archive' plugin generates the article and index pages from
# corpus/ before MkDocs builds; 'offline' makes the built site, search included, work
# when opened from the file system. Keep nav short: articles and person pages are
# reached through the index pages (a full nav makes builds quadratic in the page count).
site_name: {site_name}
site_description: {site_description}
docs_dir: docs
site_dir: site
use_directory_urls: false
strict: false

theme:
  name: material
  custom_dir: theme_overrides
  language: en
  font: false            # no web fonts: the site makes no external requests
  features:
    - navigation.tabs
    - search.highlight
    - search.suggest
  palette:
    primary: blue grey
    accent: indigo

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
  - About: about.md
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
Donath) so that search works from the file system.
"""

REGISTRIES = {
    "people.yml": """\
# People named in the archive: one entry per person.
#   name:         the canonical name every page uses
#   aliases:      other spellings and short forms that mean this person (transliterations, surname alone)
#   description:  a short line shown on the person's page
#   wikidata:     the Wikidata item id (Q...), linked from the person's page
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
/site/
/.site-*
/.cache/
"""


def theme_overrides_dir() -> Path:
    """The Material overrides shipped with the package (or the source tree's, when run from it)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_theme_overrides", here.parent / "theme_overrides"):
        if (candidate / "main.html").is_file():
            return candidate
    raise FileNotFoundError("theme_overrides not found in the installed package")


def new_archive(target: Path, site_name: str | None = None) -> list[Path]:
    """Create the archive skeleton in ``target``; refuses to overwrite an existing archive."""
    target = Path(target)
    if (target / "mkdocs.yml").exists() or (target / "corpus").exists():
        raise FileExistsError(f"{target} already holds an archive (mkdocs.yml or corpus/ exists)")
    name = site_name or target.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "News archive"
    files = {
        "mkdocs.yml": MKDOCS_YML.format(site_name=_yaml_str(name),
                                        site_description=_yaml_str(f"{name}: a searchable news archive")),
        "docs/index.md": INDEX_MD.format(site_name=name, intro="A searchable archive of news articles."),
        "docs/about.md": ABOUT_MD,
        ".gitignore": GITIGNORE,
        "corpus/articles/.gitkeep": "",
        **{f"corpus/{k}": v for k, v in REGISTRIES.items()},
        # major English-language outlets, so a new archive names them from the start
        "corpus/sources.yml": resources.files("builder").joinpath("data", "starter-sources.yml").read_text(
            encoding="utf-8"),
    }
    created: list[Path] = []
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    src = theme_overrides_dir()
    dst = target / "theme_overrides"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
    created += sorted(p for p in dst.rglob("*") if p.is_file())
    return created


def _yaml_str(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
