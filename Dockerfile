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
# Editable, so data/ (curated dataset, territories, aliases) stays beside the packages.
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["sh", "-c", "alliance-graph db init && alliance-graph load territories && alliance-graph load curated && alliance-graph serve"]
