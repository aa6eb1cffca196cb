# syntax=docker/dockerfile:1
# PyCommerce image: `docker build -t pycommerce .`; the same image runs every Procfile
# process (web by default; override the command for worker, beat and release).

ARG PYTHON_VERSION=3.11

# --- build: a virtualenv with the pinned production requirements -----------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /build
COPY requirements/ requirements/
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install -r requirements/production.txt

# --- assets: the admin editor's files from npm (no CDN at run time; same list as the Makefile)
FROM node:20-bookworm-slim AS assets
WORKDIR /assets
COPY Makefile .
RUN packages="$(sed -n 's/^VENDOR_PACKAGES := //p' Makefile)" \
    && npm install --no-save --no-audit --no-fund --prefix /assets $packages

# --- runtime: the virtualenv, the code, collected static files; runs as a plain user ----
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000
RUN groupadd --system pycommerce \
    && useradd --system --gid pycommerce --home-dir /app --shell /usr/sbin/nologin pycommerce
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=pycommerce:pycommerce . .
# settings.STATICFILES_DIRS serves these at /static/vendor/ (collected below).
COPY --from=assets /assets/node_modules /app/.venv/npm/node_modules
# Production settings refuse to load without their secrets: give collectstatic dummies that
# exist only for this build step (nothing is connected to).
RUN SECRET_KEY=collectstatic-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    BASE_DOMAIN=build.invalid \
    DATABASE_URL=postgres://build@build.invalid:5432/build \
    REDIS_URL=redis://build.invalid:6379/0 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown -R pycommerce:pycommerce /app/staticfiles /app/media
USER pycommerce
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8000\")}/healthz', timeout=2)"
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
