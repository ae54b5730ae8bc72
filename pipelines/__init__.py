"""Ingestion for the NBA warehouse: stats.nba.com (via nba_api) to DuckDB with dlt."""
