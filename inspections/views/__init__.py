"""Inspections pages: list, detail, forms; the on-site log; the calendar feed."""
