"""The per-article stages (read, clean, extract) and the archive-wide ones (quotations, stories, duplicates)."""
