# Production image: gunicorn (web), Celery worker and beat all run from it (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NASTAVNIK_ENV=production \
    FLASK_APP=wsgi.py \
    NASTAVNIK_INSTANCE_DIR=/var/lib/nastavnik

WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/base.txt -c requirements/constraints.txt

COPY . .
RUN pybabel compile -d translations \
    && useradd --system --home /var/lib/nastavnik --create-home nastavnik \
    && chown -R nastavnik /var/lib/nastavnik
USER nastavnik

EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-", "wsgi:app"]
