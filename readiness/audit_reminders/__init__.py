"""Morning reminders about case audits: to auditors (due soon, overdue) and moderators (waiting)."""
