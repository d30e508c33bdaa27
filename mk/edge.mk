# The playground at the edge: the Cloudflare Worker in Go (edge/worker) and its local runs in
# workerd, Cloudflare's own runtime, fully offline (docs/edge.md).
#   make edge        build the Worker into edge/dist and print the wasm's raw and gzip size
#   make edge-dev    serve the page, the farm and /api/info in workerd on 127.0.0.1:$(EDGE_PORT)
#   make test-edge   the built Worker's tests in workerd, the farm table natively, the page
#                    from the Worker in Chromium
#   make bench-edge  the Worker's own cost per request beside a trivial JS Worker's in the same
#                    workerd; the farm's latency overhead at the edge and natively; the page
#                    served by the Worker running the I/O presets in Chromium, against their bounds

EDGE_DIR := edge/dist

TEST_TARGETS += test-edge
CLEAN_PATHS  += $(EDGE_DIR)

.PHONY: edge edge-dev test-edge bench-edge

edge:
	$(GO) run ./edge/cmd/edge build -o $(EDGE_DIR)

# Built, then exec'd (and edge dev execs workerd): make's SIGTERM on stop reaches workerd itself,
# where `go run` would keep it and leave workerd on the port.
edge-dev: edge site
	$(GO) build -o bin/edge ./edge/cmd/edge
	exec bin/edge dev -addr 127.0.0.1:$(EDGE_PORT) -worker $(EDGE_DIR) -assets $(EDGE_DIR)-assets

# EDGE_WORKER_DIR: test the Worker this Makefile built, the one `wrangler deploy` would upload
# (a plain `go test ./edge/` builds its own copy into a temp directory). Then the page from the
# Worker in Chromium, with a native backend beside it (edge/page.test.mjs).
test-edge: edge site native
	EDGE_WORKER_DIR=$(CURDIR)/$(EDGE_DIR) $(GO) test -count=1 ./edge/... ./internal/farm/farmtest/
	$(GO) build -o bin/edge ./edge/cmd/edge
	cd site && EDGE_WORKER_DIR=$(CURDIR)/$(EDGE_DIR) node --test ../edge/

bench-edge: edge site native
	EDGE_WORKER_DIR=$(CURDIR)/$(EDGE_DIR) $(GO) test -run '^$$' -bench 'WorkerCost|FarmLatency' -benchtime 20x ./edge/
	$(GO) build -o bin/edge ./edge/cmd/edge
	cd site && EDGE_WORKER_DIR=$(CURDIR)/$(EDGE_DIR) node ../edge/bench-page.mjs
