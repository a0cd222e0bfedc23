"""The database file and everything beside it: engines and sessions, schema upgrades,
the database lock, keys and where they live, encryption, backups, run notes and recovery,
the app's one-instance lock, the file-system check, and the watch for others' writes."""
