# The registry's one image: web (gunicorn), Celery worker and Celery beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=registry.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

WORKDIR /app
# postgresql-client: pg_dump for the nightly backup (Debian bookworm: 15, as the server).
RUN apt-get update && apt-get install -y --no-install-recommends gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs settings but no real secret or database.
RUN SECRET_KEY=build-only-$(python -c "import secrets; print(secrets.token_urlsafe(50))") \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --no-input \
    && useradd --system --uid 1000 registry \
    && mkdir -p /app/media /app/var /backups && chown registry /app/media /app/var /backups
USER registry
EXPOSE 8000
# gunicorn.conf.py sends the access log through the masking logging (no full ID or mobile).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "registry.wsgi"]
