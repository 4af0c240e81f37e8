"""The workspace: settings file + database (SQLAlchemy Core, SQLite by default)."""
