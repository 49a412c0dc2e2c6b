"""A Markdown extension that passes the generated pages' raw HTML blocks through unparsed.

The long parts of generated pages are HTML already (``builder/outputs/listing.py``), between two
marker lines. Python-Markdown would still run its HTML parser over every tag of them to find
where each block ends (a third of the time MkDocs spent converting a 10,000-article archive's
big pages); this preprocessor runs first and stashes each marked block whole, as Markdown's own
raw-HTML handling would, so the output is the same. A start marker without its end is left as
it is (Markdown then reads the lines as it always does). No article text can write a marker:
every value in a generated page is escaped, ``<`` included.
"""

from __future__ import annotations

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

START = "<!-- archive:html -->"
END = "<!-- /archive:html -->"


class RawBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if START not in lines:
            return lines
        out: list[str] = []
        i = 0
        while i < len(lines):
            if lines[i] != START:
                out.append(lines[i])
                i += 1
                continue
            try:
                end = lines.index(END, i + 1)
            except ValueError:
                out.extend(lines[i:])
                break
            out += ["", self.md.htmlStash.store("\n".join(lines[i + 1:end])), ""]
            i = end + 1
        return out


class RawBlocksExtension(Extension):
    def extendMarkdown(self, md) -> None:
        # before Markdown's own raw-HTML block preprocessor (priority 20), which would parse the tags
        md.preprocessors.register(RawBlocks(md), "archive_raw_blocks", 25)


def makeExtension(**kwargs):      # noqa: N802 (Python-Markdown's name)
    return RawBlocksExtension(**kwargs)
