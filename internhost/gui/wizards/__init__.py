"""Wizards: multi-page guided tasks (the first-run onboarding)."""
