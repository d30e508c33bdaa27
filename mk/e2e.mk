# The page end to end: the built site and the built native binary, in Debian's Chromium driven
# by playwright-core (the tests in site/e2e, the benches in site/bench, which share
# site/e2e/harness.mjs). Each test file starts its own `bin/native serve` on a free loopback
# port and stops it; screenshots land in test-artifacts/. The files: the playground
# (playground), without a backend (offline), /embed inside a page of a second loopback origin
# through the embed kit (embed), exports, share links and the history (share-export-history),
# the code view beside the timeline and the lesson's figures (codeview).
# The tests drive /usr/bin/chromium; CHROMIUM=/path/to/chromium drives another build (any
# Chromium playwright-core can attach to), e.g. `make test-e2e CHROMIUM=/usr/bin/chromium-browser`.
#   make test-e2e     the end-to-end tests (node --test)
#   make bench-e2e    the timeline's live update cost with 20,000 spans, time to interactive, and
#                     the CPU experiment in the browser's engine against native, and the
#                     browser's process pool against its sequential run (bench-cpu.mjs, on a
#                     page nothing attaches to its workers: bare.mjs), and the page's own CPU
#                     while the browser's engine runs (bench-page-cpu.mjs)

TEST_TARGETS += test-e2e

.PHONY: test-e2e bench-e2e

test-e2e: build
	cd site && node --test --test-concurrency=1 e2e/

bench-e2e: build
	cd site && node bench/bench-timeline.mjs
	cd site && node bench/bench-cpu.mjs
	cd site && node bench/bench-page-cpu.mjs
