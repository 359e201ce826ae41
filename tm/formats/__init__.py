"""Reading and writing the exchange formats: TMX, XLIFF, TSV/CSV and line-parallel bitext."""

from tm.formats.reader import ImportFile, Skipped, check, group, read

__all__ = ["ImportFile", "Skipped", "check", "group", "read"]
