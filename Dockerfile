# syntax=docker/dockerfile:1
# The Ticketmain server image: builds the protocol, the client, the server and the web app, then
# runs the server (which also serves the web app) as a non-root user with production dependencies
# only.
#   docker build -t ticketmain .
#   docker run -p 3000:3000 ticketmain           # embedded mode, data in the container
# deploy/docker-compose.yml runs it on Redis + PostgreSQL behind nginx.

ARG NODE_IMAGE=node:20-bookworm-slim

# Every workspace's package.json, so that npm ci sees the workspaces the lock file describes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/client/package.json packages/client/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY bench/package.json bench/
COPY e2e/package.json e2e/

FROM manifests AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY packages/protocol packages/protocol
COPY packages/client packages/client
COPY apps/server apps/server
COPY apps/web apps/web
# tsc -b (protocol, client, server), then each workspace's build: server assets, web app (Vite).
RUN npm run build

# The server's production dependencies and nothing else (no web, bench or e2e packages).
FROM manifests AS deps
RUN npm ci --omit=dev --no-audit --no-fund --workspace @ticketmain/server \
  && mkdir -p apps/server/node_modules packages/protocol/node_modules

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules node_modules
COPY --from=deps /app/packages/protocol/node_modules packages/protocol/node_modules
COPY --from=deps /app/apps/server/node_modules apps/server/node_modules
COPY --from=build /app/packages/protocol/package.json packages/protocol/
COPY --from=build /app/packages/protocol/dist packages/protocol/dist
COPY --from=build /app/apps/server/package.json apps/server/
COPY --from=build /app/apps/server/dist apps/server/dist
COPY --from=build /app/apps/web/dist apps/web/dist
# Embedded mode (no REDIS_URL / DATABASE_URL) keeps PGlite and its secret here.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# /ready: this replica reaches Redis and PostgreSQL. Slim images have no curl; Node has fetch.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same entry point as `npm start` and the tests' replicas (src/server.ts, built).
CMD ["node", "apps/server/dist/server.js"]
