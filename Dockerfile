# One image recipe for every application under apps/: docker build --build-arg APP=<name> .
# NODE_IMAGE: the Node.js 20 base (deploy/docker/local-images.sh builds a stand-in without a registry).
ARG NODE_IMAGE=node:20-bookworm-slim
# Services run their TypeScript sources through tools/register.js (SWC), as in development, so the
# runtime image keeps the dev dependencies that provide @swc-node/register.

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund

FROM ${NODE_IMAGE}
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.base.json tsconfig.json ./
COPY tools ./tools
COPY libs ./libs
COPY apps ./apps
ARG APP
RUN test -n "$APP" && test -f "apps/$APP/src/main.ts" \
  || { echo "build with --build-arg APP=<folder under apps/ with src/main.ts>" >&2; exit 1; }
ENV APP=${APP} NODE_ENV=production
USER node
# A shell so ${APP} expands; exec so node gets the signals (docker stop) directly.
CMD ["sh", "-c", "exec node -r ./tools/register.js apps/${APP}/src/main.ts"]
