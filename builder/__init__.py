"""Turn a folder of raw news articles into a searchable static archive.

Pipeline stages, one module each: read -> clean -> extract -> render -> publish.
"""

__version__ = "0.1.0"
