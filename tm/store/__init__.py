"""The one door to the TM's tables: opening the database (`database`), the segments
(`segments`) and the caches kept beside them (`keys`)."""
