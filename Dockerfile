# Callsign homeserver image. The TypeScript runs through tsx, as `npm start` does; the web
# client and the site widget are built once here and served by the homeserver.
#
#   docker build -t callsign .
#   docker run -p 8008:8008 -e CALLSIGN_SECRET=... callsign        # embedded (PGlite in /app/data)
#   docker compose up                                              # PostgreSQL + Redis
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build-web.mjs

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    CALLSIGN_LISTEN_HOST=0.0.0.0 \
    CALLSIGN_LISTEN_PORT=8008 \
    CALLSIGN_DATA_DIR=/app/data
COPY package.json package-lock.json ./
# tsx is a runtime dependency, so the dev tools can stay out of the image.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
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
