"""People and roles: the council administrator's pages for everyday account support."""
