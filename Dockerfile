# The server as a container: built from this checkout into the same package `npm pack` makes,
# installed on its own (production dependencies only), run as the unprivileged `node` user.
#   docker build -t client-reset .
#   docker run -p 8787:8787 -e PUBLIC_URL=https://reset.example.com -e MAIL=smtp -e SMTP_URL=… client-reset
# `test/package/installed-package.test.ts` runs this file's install, start and health check
# commands where no container runtime is available.

FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
# prepack builds dist/ (server, elements, browser bundle, typings) into the tarball.
RUN npm pack --pack-destination /tmp && mv /tmp/client-reset-*.tgz /tmp/client-reset.tgz

FROM node:22-bookworm-slim
ENV NODE_ENV=production PORT=8787 DATA_DIR=/data
WORKDIR /app
COPY --from=build /tmp/client-reset.tgz /tmp/client-reset.tgz
RUN npm init -y > /dev/null && npm install --omit=dev --no-audit --no-fund /tmp/client-reset.tgz && rm /tmp/client-reset.tgz
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8787
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 8787) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node_modules/.bin/client-reset", "serve"]
