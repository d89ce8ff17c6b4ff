"""Readiness: the project package and the top layer (plans, dashboards, reports)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
