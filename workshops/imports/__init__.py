"""Spreadsheet import of workshops and health centers for coordinators (issue 18).

A coordinator downloads the template (``files.template_file``), fills it, uploads it (``services.directory_upload``
keeps the file's bytes and SHA-256 in a ``DirectoryImport`` row of hers), sees every row checked
(``rows.check_rows``: the same form fields and validators as the sign-up) and confirms
(``services.directory_import_confirm``), which checks the rows again inside one transaction and imports the
valid ones: per row, not all or nothing. Rows already in the database (a workshop by national ID or owner mobile,
a health center by name in its city) are reported and left alone, so the same file twice changes nothing. An
imported workshop is pending (no quota until verified) and its owner gets one SMS invitation to choose her
password through the password-reset page.
"""
