# The page: the browser engine (wasm/browser), its Web Worker and the TypeScript in site/src,
# built into site/dist by the build tool (./build, esbuild's Go API), which package site embeds.
#   make site       build site/dist (npm ci in site/ first if site/node_modules is missing)
#   make test-wasm  the engine's Go tests, compiled to js/wasm and run under Node
#   make test-ts    type-check site/src (tsc --noEmit, strict): the page, and the unit tests
#                   with Node's types (tsconfig.test.json), which the page's code never sees
#   make test-unit  the pure modules' unit tests (site/src/**/*.test.ts), bundled by the build
#                   tool into test-artifacts/unit and run by node --test

BUILD_TARGETS += site
TEST_TARGETS  += test-wasm test-ts test-unit
# Everything the build wrote; placeholder.html is committed and stays. The wildcard skips dot
# files: .assetsignore is named.
CLEAN_PATHS   += $(filter-out site/dist/placeholder.html,$(wildcard site/dist/*)) site/dist/.assetsignore

.PHONY: site test-wasm test-ts test-unit

site: | site/node_modules
	$(GO) run ./build

# Order-only: npm ci runs when node_modules is missing, not whenever the lockfile is newer.
site/node_modules:
	cd site && npm ci

test-wasm:
	PATH="$(WASM_EXEC):$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 ./wasm/browser/...

test-ts: | site/node_modules
	cd site && npx tsc --noEmit -p . && npx tsc --noEmit -p tsconfig.test.json

# Node 20 runs no TypeScript: the build tool bundles each test with what it imports.
test-unit: | site/node_modules
	$(GO) run ./build -unit test-artifacts/unit
	node --test --enable-source-maps test-artifacts/unit/

# The engine's CPU run compiled natively and to wasm under Node's V8 (Chromium's engine): the
# browser's cost over native code, without a browser.
.PHONY: bench-wasm
bench-wasm:
	$(GO) test -run '^$$' -bench CPUSequential -count 3 ./wasm/browser/
	PATH="$(WASM_EXEC):$$PATH" GOOS=js GOARCH=wasm $(GO) test -run '^$$' -bench CPUSequential -count 3 ./wasm/browser/
