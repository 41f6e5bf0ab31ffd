"""The Admin view: a tab per kind of master data (a table and an edit form), and "This station".

Edits go through the master-data services with the signed-in user as actor; the services decide
who may edit (admins) and the form shows their plain-words answer.
"""
