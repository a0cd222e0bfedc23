"""The forms employers sign or hand out (issue 15), blank or pre-filled.

Their wording lives in ``resources/forms/<name>.toml`` (``texts.py`` reads it); what a
printing holds comes from ``services/forms.py`` as a ``dto_forms.FormContent``;
``render.py`` draws any form's sections (facts, clauses, legal elements with their
citation and verification marker, tables, letter, certificate, signatures) on the
reports' page (``template.build_pdf``), every user value through ``markup.esc``.
"""
