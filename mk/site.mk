# The page: the browser engine (wasm/browser), its Web Worker and the TypeScript in site/src,
# built into site/dist by the build tool (./build, esbuild's Go API), which package site embeds.
#   make site       build site/dist (npm ci in site/ first if site/node_modules is missing)
#   make test-wasm  the engine's Go tests, compiled to js/wasm and run under Node
#   make test-ts    type-check site/src (tsc --noEmit, strict)

BUILD_TARGETS += site
TEST_TARGETS  += test-wasm test-ts
# Everything the build wrote; placeholder.html is committed and stays.
CLEAN_PATHS   += $(filter-out site/dist/placeholder.html,$(wildcard site/dist/*))

.PHONY: site test-wasm test-ts

site: | site/node_modules
	$(GO) run ./build

# Order-only: npm ci runs when node_modules is missing, not whenever the lockfile is newer.
site/node_modules:
	cd site && npm ci

test-wasm:
	PATH="$(WASM_EXEC):$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 ./wasm/browser/...

test-ts: | site/node_modules
	cd site && npx tsc --noEmit -p .

# The engine's CPU run compiled natively and to wasm under Node's V8 (Chromium's engine): the
# browser's cost over native code, without a browser.
.PHONY: bench-wasm
bench-wasm:
	$(GO) test -run '^$$' -bench CPUSequential -count 3 ./wasm/browser/
	PATH="$(WASM_EXEC):$$PATH" GOOS=js GOARCH=wasm $(GO) test -run '^$$' -bench CPUSequential -count 3 ./wasm/browser/
