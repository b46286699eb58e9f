# Callsign homeserver image. The TypeScript runs through tsx, as `npm start` does; the web
# client and the site widget are built once here and served by the homeserver.
#
#   docker build -t callsign .
#   docker run -p 8008:8008 -e CALLSIGN_SECRET=... callsign        # embedded (PGlite in /app/data)
#   docker compose up                                              # PostgreSQL, Redis, Janus, coturn
#
# npm ci compiles unix-dgram (a dependency of janode, the Janus adapter) with node-gyp, which
# needs python3, make and g++: they live in the toolchain stage only, and the runtime image gets
# the production node_modules compiled there (same base image, so the same glibc and Node ABI).
FROM node:20-bookworm-slim AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build-web.mjs

FROM toolchain AS production-modules
# tsx is a runtime dependency, so the dev tools can stay out of the image.
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    CALLSIGN_LISTEN_HOST=0.0.0.0 \
    CALLSIGN_LISTEN_PORT=8008 \
    CALLSIGN_DATA_DIR=/app/data
COPY --from=production-modules /app/node_modules ./node_modules
COPY . .
COPY --from=build /app/clients/web/dist ./clients/web/dist
COPY --from=build /app/clients/widget/dist ./clients/widget/dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME /app/data
EXPOSE 8008
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8008/_matrix/client/versions').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# One node process (no npx/tsx wrapper in between), so SIGTERM reaches the server's shutdown.
CMD ["node", "--import", "tsx", "server/src/main.ts"]
