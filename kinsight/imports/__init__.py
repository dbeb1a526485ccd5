"""Import from an incumbent system: CSV and Excel files in a documented format, a dry
run, the import in the background in batches, and undo."""
