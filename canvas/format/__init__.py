"""The format: every read and write of a session, and the folders sessions live in.

The YAML gateway (hostile-input-safe reading, validation with file:line:col, migrations,
canonical atomic writes), templates, the workshop folders and the interface catalogues.
May import the domain; never the live layer, the views or a UI library.
"""
