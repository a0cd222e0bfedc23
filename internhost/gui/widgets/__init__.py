"""The form kit every screen and dialog is built from: fields bound to service inputs
(``fields``), labelled blocks (``basics``), tables (``tables``), the records screen
(``records``) and the table of record screens (``screens``)."""
