# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's libraries and fonts (it crashes when fontconfig finds none).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      shared-mime-info fontconfig fonts-dejavu-core fonts-liberation2 \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 readiness
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir -e .
COPY --chown=readiness:readiness . .
RUN DEBUG=true python manage.py collectstatic --no-input --verbosity 0 \
 && STATIC_MANIFEST=true SECRET_KEY=build-only python manage.py collectstatic --no-input --verbosity 0
USER readiness
EXPOSE 8000
CMD ["gunicorn", "readiness.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
