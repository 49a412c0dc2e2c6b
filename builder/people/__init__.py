"""Person candidates: which names in an article are people, and which are not; and one name
for one person across the archive.

A name the model tags PERSON becomes a candidate only once it has a person's shape and is
not a company, a work, an event or a party. Each rule is a small function tried in order
on one span (``shape.CANDIDATE_RULES``); whether a name is a person's across the whole archive is
one decision (``model``) that weighs all of the archive's evidence about it; the word lists they use are data files under ``builder/data/``, loaded once, for
archivists to edit. The field's libraries know more than a word list where they can:
``nameparser`` (titles) and ``nicknames`` (English given names and their short forms); given
names and surnames across cultures come from ``names-dataset``, extracted once into data files;
``probablepeople`` (person or corporation, from the name alone) is one piece of that evidence.

The modules, each importing only those before it:

- ``words``: the word lists and name lists
- ``spans``: a span's words reshaped (owners, possessives, post-nominals taken off)
- ``titles``: titles, roles and nationalities taken off the front of a span
- ``shape``: a name's shape, ``CANDIDATE_RULES``, ``person_candidate``, ``clean_person_name``
- ``context``: the text around a span (a work's or a company's context, a title before it)
- ``widen``: name words the model left out before or after a span
- ``mentions``: ``find_person_mentions``, the people one article names
- ``cues``: ``name_cues``, how an article writes each full name
- ``evidence``: ``DocEvidence``, ``doc_evidence``, ``NameStats``
- ``evidence_json``: an article's ``DocEvidence`` as JSON values, kept in the extraction cache
- ``decide``: what a name's words and contexts say against it, each one feature
- ``model``: the one decision per name, a logistic regression over those features and the shares
  of the articles writing the name each way (``archive_rejections``)
- ``groups``: spellings grouped into one person (partial names, first-name variants, labels)
- ``rejected``: the groups that are not people's (an archivist's not_people, the one decision
  over the archive's evidence added up)
- ``resolve``: ``resolve_people``, canonical people for every article
"""
