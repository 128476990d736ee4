# The one image for web, worker and beat (docker-compose.yml chooses the command).
FROM python:3.12-slim-bookworm

# WeasyPrint's libraries (libharfbuzz-subset0 is needed, else WeasyPrint warns at import).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    PATH=/venv/bin:$PATH

WORKDIR /app
RUN pip install --no-cache-dir 'uv>=0.13,<0.14'
# Dependencies first, so code changes do not reinstall them; exactly what uv.lock says, no dev tools.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# Settings allow collectstatic without SECRET_KEY (no secrets exist at build time).
RUN python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home-dir /app psp \
    && mkdir -p /app/var/media && chown -R psp /app/var

USER psp
EXPOSE 8000
CMD ["gunicorn", "psp.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
