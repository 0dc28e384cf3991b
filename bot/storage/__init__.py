"""Persistence: SQLAlchemy models, the engine (SQLite or PostgreSQL) and migrations."""
