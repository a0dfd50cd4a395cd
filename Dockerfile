# Build: a static binary (no cgo), templates and fonts embedded.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/protokol ./cmd/protokol

# Run: distroless static, non-root. The binary is its own health check.
# The user is numeric (distroless's nonroot is 65532), so Kubernetes can
# verify runAsNonRoot without a name it cannot look up.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/protokol /protokol
USER 65532:65532
EXPOSE 8080
ENV PROTOKOL_ADDR=:8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 CMD ["/protokol", "health"]
ENTRYPOINT ["/protokol"]
CMD ["serve"]
