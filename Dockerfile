# syntax=docker/dockerfile:1
# Production image of gitops-gate. The built-in packs, the rendering engine and conftest's
# parsers are compiled to WebAssembly at build time; the pinned OPA is in the runtime image
# too, because the App compiles organisations' own Rego (config `policies.sources`) and runs
# their tests when a policy changes.

# OPA, built from its Go module: the version pinned in package.json config.opaVersion.
FROM golang:1.26-bookworm AS opa
ARG OPA_VERSION=1.22.3
RUN GOBIN=/out go install github.com/open-policy-agent/opa@v${OPA_VERSION}

# The rendering engine (Helm and Kustomize as WebAssembly), built from hydrate/ with the
# module versions its go.mod pins, as scripts/ensure-hydrate.sh builds it.
FROM golang:1.26-bookworm AS hydrate
WORKDIR /src/hydrate
COPY hydrate ./
RUN GOOS=wasip1 GOARCH=wasm GOFLAGS=-buildvcs=false go build -buildmode=c-shared -trimpath -ldflags="-s -w" -o /out/hydrate.wasm .

# conftest's own parsers for the formats beyond YAML, JSON, HCL2 and Dockerfiles, built for
# WebAssembly (wasip1) from their Go modules: docs/decisions/0007-input-formats.md.
FROM golang:1.26-bookworm AS parsers
WORKDIR /src
COPY scripts/ensure-parsers-wasm.sh ./scripts/
COPY wasm ./wasm
RUN bash scripts/ensure-parsers-wasm.sh /out

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY policies ./policies
COPY --from=opa /out/opa /usr/local/bin/opa
COPY --from=hydrate /out/hydrate.wasm ./dist/hydrate/hydrate.wasm
COPY --from=parsers /out ./dist/wasm
ENV GITOPS_GATE_OPA=/usr/local/bin/opa
RUN npm run build:ts \
 && node bin/gitops-gate.js build-policies policies --out dist/policies/builtin.tar.gz \
 && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 GITOPS_GATE_OPA=/usr/local/bin/opa GITOPS_GATE_CACHE_DIR=/tmp/gitops-gate
WORKDIR /app
COPY --from=opa /out/opa /usr/local/bin/opa
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY app.yml ./
USER node
EXPOSE 3000
# The App, configured by Probot's environment variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET,
# GHE_HOST...) and REDIS_URL for several replicas. The CLI is in the same image:
# --entrypoint node ... bin/gitops-gate.js check. SIGTERM drains running jobs, then exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/server/main.js"]
