"""What the archive's mkdocs.yml must say for the outputs that need it, checked by the build and
by ``archive check`` alike."""

from __future__ import annotations

import re

from ..core.models import WARNING, Message
from ..pipeline import Project


def site_url_messages(project: Project) -> list[Message]:
    """sitemap.xml, feeds and citations need the address the site will live at: a warning when
    mkdocs.yml gives none here, including one taken from an environment variable that is not set
    (``!ENV [ARCHIVE_SITE_URL]``: the publishing workflow sets it; a local build does not). Without
    it the build leaves sitemap.xml out and citations carry no address rather than a relative one."""
    path = project.mkdocs_yml
    try:
        from mkdocs.utils.yaml import yaml_load

        text = path.read_text(encoding="utf-8")
        config = yaml_load(text)
    except Exception:  # noqa: BLE001 - no mkdocs.yml, or a broken one: the build reports that
        return []
    url = config.get("site_url") if isinstance(config, dict) else None
    if isinstance(url, str) and re.match(r"^https?://\S+$", url.strip(), re.I):
        return []
    line, variable = _site_url_line(text)
    what, how = _site_url_problem(url, variable)
    return [Message(project.shown(path), line or 1, WARNING,
                    f"{what}; {how}, e.g. 'site_url: !ENV [ARCHIVE_SITE_URL, \"https://example.github.io/my-archive/\"]'",
                    code="site-url")]


def _site_url_line(text: str) -> tuple[int | None, str | None]:
    """The line of mkdocs.yml that sets site_url, and the environment variable it names (``!ENV``)."""
    lines = text.splitlines()
    line = next((n for n, text_line in enumerate(lines, 1) if text_line.startswith("site_url:")), None)
    variable = re.search(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)", lines[line - 1] if line else "")
    return line, variable.group(1) if variable else None


def _site_url_problem(url, variable: str | None) -> tuple[str, str]:
    """(what is wrong with site_url, how to set it): not an address, an unset variable, or none."""
    if url:
        return f"site_url '{url}' is not an http:// or https:// address", "add it to mkdocs.yml"
    if variable:
        return (f"site_url comes from the environment variable {variable}, which is not set here: "
                "sitemap.xml is left out and citations and feeds give no web address for the archive's pages",
                f"set {variable} (the publishing workflow does), or give a default in mkdocs.yml")
    return ("no site_url: sitemap.xml is left out and citations and feeds give no web address for the "
            "archive's pages", "add it to mkdocs.yml")
