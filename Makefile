# Concurrency Playground: the one front door to every build and test.
#   make run     build everything and serve the playground on http://$(ADDR)
#   make test    every test: TypeScript (tsc, unit tests), Go (under -race), wasm under Node, Chromium end-to-end, the edge in workerd
#   make build   the native binary and the page (site/dist)
#   make bench   every preset natively with the lesson's claims checked, next to the lesson's Python figures, then go test -bench
#   make edge / make edge-dev   build the Cloudflare Worker / serve it locally in workerd on 127.0.0.1:$(EDGE_PORT)
# Each area adds its own targets in mk/*.mk (TEST_TARGETS, BUILD_TARGETS).

GO        ?= go
ADDR      ?= 127.0.0.1:8080
EDGE_PORT ?= 8787
BIN       := bin/native$(shell $(GO) env GOEXE)
WASM_EXEC := $(shell $(GO) env GOROOT)/lib/wasm

export GOFLAGS := -buildvcs=false

TEST_TARGETS  := test-go
BUILD_TARGETS :=
CLEAN_PATHS   := bin test-artifacts

.PHONY: all run test build bench clean native test-go bench-go

all: build

include $(sort $(wildcard mk/*.mk))

# Static (no cgo): a process-pool worker is this binary re-executed, and a static one starts
# about half a millisecond sooner, which shows in the process variant's speedup.
native:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./native

build: $(BUILD_TARGETS) native

run: build
	./$(BIN) serve -addr $(ADDR)

# Fast checks first: the type-check and the unit tests fail in seconds, the Go suite in
# minutes, the browser tests take longer.
TEST_ORDER := test-ts test-unit test-go test-wasm test-e2e test-edge
test: $(foreach t,$(TEST_ORDER),$(filter $(t),$(TEST_TARGETS))) $(filter-out $(TEST_ORDER),$(TEST_TARGETS))
	@echo "make test: all passed ($(TEST_TARGETS))"

# gofmt, vet and a tidy go.mod first: they fail in seconds where the suite takes minutes.
test-go: $(BUILD_TARGETS)
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff
	$(GO) test -race -count=1 -timeout 20m ./...

bench: native
	./$(BIN) bench
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./internal/... ./native/...

clean:
	rm -rf $(CLEAN_PATHS)
