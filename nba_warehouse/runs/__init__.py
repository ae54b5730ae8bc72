"""Run orchestration: ``daily`` and ``backfill`` chunks, the model refresh, manifests and the one-writer lock."""

# daily re-fetches this many days before its date, for late stat corrections
REFETCH_LAG_DAYS = 3
# days of game logs per backfill chunk: the unit that is loaded whole and resumed after
CHUNK_DAYS = 30
