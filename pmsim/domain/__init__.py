"""Pure rules and records: standard library and attrs only, no state and no I/O."""
