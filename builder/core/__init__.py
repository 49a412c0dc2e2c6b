"""What every stage shares: records and messages, the cache, limits, YAML, text, escaping, the registry."""
