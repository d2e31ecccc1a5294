"""Background jobs: long work (bulk letters, board packs, cache warming) with progress and results."""
