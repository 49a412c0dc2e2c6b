"""The `archive` commands: what a user types (build, check, add, new, inspect, serve)."""
