"""The Attributes dock: define vectors, read their diagnostics, traverse, and the map overlay."""
