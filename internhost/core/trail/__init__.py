"""The audit trail: an event for every change, the hash chain over them, the proof that
the trail explains the data, HMACs of redacted values, readable labels, and the log of
failed logins and refusals."""
