# The Alliance Graph API; Neo4j runs in its own container (docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph graph
COPY api api
COPY loaders loaders
COPY queries queries
COPY viz viz
COPY cli cli
COPY data data
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["sh", "-c", "alliance-graph db init && alliance-graph serve"]
