# syntax=docker/dockerfile:1
# Taskboard API image. The build context is the repository root, because the API is one workspace of the
# root package-lock.json:
#   docker build -f day1-containers/api.Dockerfile --build-arg VERSION=0.1.0 --build-arg COMMIT=$(git rev-parse --short HEAD) -t taskboard-api:dev .
#
# Base image: exact Node 24 LTS release on Debian 12 slim (glibc, so prebuilt native modules just work).
# The tag is pinned exactly; add the multi-arch index digest (@sha256:...) printed by
# `docker buildx imagetools inspect node:24.21.0-bookworm-slim` to make the pin immutable.
# Why 24.21.0 while .nvmrc says 24.22.3: it is the newest Node 24 bookworm-slim tag confirmed here.
# docker-library/official-images' library/node (snapshot of 2026-08-21) lists up to 24.19.0-bookworm-slim;
# public Dockerfiles pin 24.21.0-bookworm-slim with its index digest; no 24.22.x image tag could be confirmed.
# Move to node:24.22.x-bookworm-slim once `docker buildx imagetools inspect` shows it.

# ---- deps: every dependency the build needs (root dev tools such as typescript, plus the API's own) ----
FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
# Manifests first: this slow layer is rebuilt only when a package.json or the lockfile changes.
COPY package.json package-lock.json ./
COPY shared/app/api/package.json shared/app/api/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --workspace @taskboard/api --include-workspace-root --ignore-scripts --no-audit --no-fund

# ---- build: compile TypeScript to shared/app/api/dist ----
FROM deps AS build
COPY tsconfig.base.json ./
COPY shared/app/api/tsconfig.json shared/app/api/tsconfig.build.json shared/app/api/
COPY shared/app/api/src shared/app/api/src
RUN npm run build -w @taskboard/api

# ---- prod-deps: production dependencies only, without the compilers and linters ----
# --omit=optional also leaves out PGlite, the embedded database for laptops: a container gets PostgreSQL, and without
# DATABASE_URL or PG* settings the API stops at start-up with a message naming them instead of storing data in-container.
FROM node:24.21.0-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/app/api/package.json shared/app/api/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --omit=optional --workspace @taskboard/api --ignore-scripts --no-audit --no-fund

# ---- runtime: what runs in production ----
FROM node:24.21.0-bookworm-slim AS runtime
ARG VERSION=0.0.0-dev
ARG COMMIT=unknown
LABEL org.opencontainers.image.title="taskboard-api" \
      org.opencontainers.image.description="Taskboard API: Express, knex and PostgreSQL" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${COMMIT}"
# WEB_DIST_DIR is empty: in containers nginx serves the SPA, so the API image carries none.
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    APP_VERSION="${VERSION}" \
    GIT_COMMIT="${COMMIT}" \
    WEB_DIST_DIR=""
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY shared/app/api/package.json shared/app/api/
COPY --from=build /app/shared/app/api/dist shared/app/api/dist
# The base image's `node` user, by number so that Kubernetes' runAsNonRoot can verify it (day 2).
USER 1000:1000
EXPOSE 3000
# No curl in the slim image: Node itself probes /healthz (liveness only; it never touches the DB).
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself; the API drains requests and closes its pool on it.
STOPSIGNAL SIGTERM
CMD ["node", "shared/app/api/dist/server.js"]
