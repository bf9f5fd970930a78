"""One module per command family. Each exposes `register(groups, top)` and is discovered by name."""
