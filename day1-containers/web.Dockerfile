# syntax=docker/dockerfile:1
# Taskboard web image: Node builds the SPA, an unprivileged nginx serves it on 8080 and proxies /api/.
# Build context is the repository root:
#   docker build -f day1-containers/web.Dockerfile --build-arg VERSION=0.1.0 --build-arg COMMIT=$(git rev-parse --short HEAD) -t taskboard-web:dev .
#
# Both bases are pinned to exact release tags; add their multi-arch index digests (@sha256:...) from
# `docker buildx imagetools inspect <image>` to make the pins immutable.

# ---- build: vite builds shared/app/web/dist ----
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/app/web/package.json shared/app/web/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --workspace @taskboard/web --include-workspace-root --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY shared/app/web shared/app/web
RUN npm run build -w @taskboard/web

# ---- runtime: static files and a reverse proxy, no Node ----
FROM nginxinc/nginx-unprivileged:1.30.4-alpine-slim AS runtime
ARG VERSION=0.0.0-dev
ARG COMMIT=unknown
LABEL org.opencontainers.image.title="taskboard-web" \
      org.opencontainers.image.description="Taskboard single-page app served by unprivileged nginx" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${COMMIT}"
# The image's entrypoint renders /etc/nginx/templates/*.template into conf.d/ with envsubst, replacing only
# variables that are set: these three (compose or Kubernetes may override API_UPSTREAM).
ENV API_UPSTREAM=api:3000 \
    WEB_PORT=8080 \
    WEB_ROOT=/usr/share/nginx/html
COPY day1-containers/nginx/default.conf.template /etc/nginx/templates/default.conf.template
COPY --from=build /app/shared/app/web/dist /usr/share/nginx/html
# nginx-unprivileged's user (uid 101): it cannot bind below 1024, hence 8080.
USER 101
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
# The base image's exec-form CMD (nginx -g 'daemon off;') and SIGQUIT graceful stop are kept.
