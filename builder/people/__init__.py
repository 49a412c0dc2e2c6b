"""Person candidates: which names in an article are people, and which are not; and one name
for one person across the archive.

A name the model tags PERSON becomes a candidate only once it has a person's shape and is
not a company, a work, an event or a party. Each rule is a small function tried in order
(``shape.CANDIDATE_RULES`` on one span, ``decide.ARCHIVE_RULES`` on a name across the whole
archive); the word lists they use are data files under ``builder/data/``, loaded once, for
archivists to edit. The field's libraries know more than a word list where they can:
``nameparser`` (titles) and ``nicknames`` (English given names and their short forms); given
names and surnames across cultures come from ``names-dataset``, extracted once into data files;
``probablepeople`` (person or corporation, from the name alone) is one piece of evidence for the
learned second opinion.

The modules, each importing only those before it:

- ``words``: the word lists and name lists
- ``spans``: a span's words reshaped (owners, titles, possessives, post-nominals taken off)
- ``shape``: a name's shape, ``CANDIDATE_RULES``, ``person_candidate``, ``clean_person_name``
- ``context``: the text around a span (a work's or a company's context, a title before it)
- ``widen``: name words the model left out before or after a span
- ``mentions``: ``find_person_mentions``, the people one article names
- ``cues``: ``name_cues``, how an article writes each full name
- ``evidence``: ``DocEvidence``, ``doc_evidence``, ``NameStats``, ``classifier_features``
- ``decide``: the archive-wide rules and the learned second opinion (``archive_rejections``)
- ``groups``: spellings grouped into one person (partial names, first-name variants, labels)
- ``resolve``: ``resolve_people``, canonical people for every article
"""
