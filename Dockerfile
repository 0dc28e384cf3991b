# Haumai: one image, one process (webhooks, scheduler, inbox). Scale out by running more
# replicas against PostgreSQL + Redis (HAUMAI_DATABASE_URL / HAUMAI_REDIS_URL).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HAUMAI_DATABASE_URL=sqlite+aiosqlite:////data/haumai.db
WORKDIR /app
COPY pyproject.toml README.md ./
COPY app ./app
COPY bot ./bot
COPY tracking ./tracking
COPY untrusted ./untrusted
COPY handlers ./handlers
COPY channels ./channels
COPY carriers ./carriers
COPY scheduler ./scheduler
COPY content ./content
COPY sources ./sources
RUN pip install --no-cache-dir -e . && useradd --create-home haumai && mkdir /data && chown haumai /data
USER haumai
VOLUME /data
EXPOSE 8080
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz')"
CMD ["haumai", "serve", "--host", "0.0.0.0", "--port", "8080"]
