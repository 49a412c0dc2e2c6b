"""What the archive publishes from its records: pages, search, feeds, citations, data, charts, the report."""
