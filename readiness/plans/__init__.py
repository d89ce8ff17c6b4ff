"""Improvement plans: plan → priorities → actions → progress updates, with evidence and RAG."""
