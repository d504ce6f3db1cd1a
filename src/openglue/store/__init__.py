"""Persistence: SQLAlchemy Core over SQLite (embedded default) or PostgreSQL (production)."""
