# Release: the backend with the page embedded, cross-compiled for the systems learners use, and
# what the Worker serves so a visitor starts it with one command (docs/install.md).
#   make release        bin/release/concurrency-playground-OS-ARCH(.exe) for linux, darwin and
#                       windows × amd64 and arm64, and bin/release/SHA256SUMS; prints the sizes
#   make test-release   the release for this machine only (one binary, not six: the other five
#                       cost a minute of CPU and are vetted by test-vet-cross): its sums check
#                       with sha256sum -c and it names the commit it was built from
#   make test-vet-cross go vet of every package, tests included, as built for macOS and Windows

RELEASE_DIR       ?= bin/release
RELEASE_PLATFORMS ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
HOST_PLATFORM     := $(shell $(GO) env GOOS)/$(shell $(GO) env GOARCH)
# The commit goes in with -X: the Makefile builds with -buildvcs=false, and the go command does
# not stamp builds made in a git worktree. Lazy (=), so git runs only when a release is built.
RELEASE_COMMIT     = $(shell git rev-parse HEAD 2>/dev/null)$(if $(shell git status --porcelain -uno 2>/dev/null),-dirty)
RELEASE_VERSION    = $(shell git describe --tags --always --dirty 2>/dev/null)
RELEASE_LDFLAGS    = -s -w -X main.version=$(RELEASE_VERSION) -X main.commit=$(RELEASE_COMMIT)

TEST_TARGETS += test-release test-vet-cross

.PHONY: release test-release test-vet-cross

# -s -w drop the symbol table and DWARF (about a third of the size); -trimpath keeps this
# machine's paths out. Static (CGO_ENABLED=0), so one file runs on any machine of its system.
release: site
	rm -rf $(RELEASE_DIR) && mkdir -p $(RELEASE_DIR)
	@set -e; for p in $(RELEASE_PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; ext=; [ "$$os" = windows ] && ext=.exe; \
	  out=$(RELEASE_DIR)/concurrency-playground-$$os-$$arch$$ext; echo "release: $$out"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags '$(RELEASE_LDFLAGS)' -o $$out ./native; \
	done
	cd $(RELEASE_DIR) && sha256sum concurrency-playground-* > SHA256SUMS
	@cd $(RELEASE_DIR) && for f in concurrency-playground-*; do \
	  printf 'release: %-45s %6.2f MB raw, %6.2f MB gzipped\n' $$f \
	    "$$(($$(wc -c < $$f) / 10000))e-2" "$$(($$(gzip -c $$f | wc -c) / 10000))e-2"; done

test-release: RELEASE_DIR := bin/release-test
test-release: RELEASE_PLATFORMS := $(HOST_PLATFORM)
test-release: release
	cd $(RELEASE_DIR) && sha256sum -c SHA256SUMS
	@bin=$(RELEASE_DIR)/concurrency-playground-$(subst /,-,$(HOST_PLATFORM))$(shell $(GO) env GOEXE); \
	  line=$$(./$$bin version); echo "$$line"; \
	  case "$$line" in *"commit $(RELEASE_COMMIT),"*) ;; *) echo "test-release: $$bin does not name commit $(RELEASE_COMMIT)"; exit 1;; esac

test-vet-cross:
	GOOS=darwin $(GO) vet ./...
	GOOS=windows $(GO) vet ./...

# What the Worker serves as static assets: the page and, under download/, the release (both
# scripts are written by the Worker itself, with its origin: internal/install). The page is
# copied, not served from site/dist, because the native binary embeds site/dist: the release
# inside it would embed itself. Beside the Worker, not in it: building the Worker empties its
# directory. Cloudflare allows 25 MiB a file and 20,000 files (docs/install.md).
EDGE_ASSETS = $(EDGE_DIR)-assets
CLEAN_PATHS += bin/release bin/release-test $(EDGE_ASSETS)

.PHONY: edge-assets
edge: edge-assets
edge-assets: site release
	rm -rf $(EDGE_ASSETS) && mkdir -p $(EDGE_ASSETS)/download
	cp -R site/dist/. $(EDGE_ASSETS)/
	cp $(RELEASE_DIR)/* $(EDGE_ASSETS)/download/

# The edge tests serve this machine's build alone (edge/install_test.go, edge/install.test.mjs):
# the other five would cost a minute of CPU and test nothing more here.
test-edge: RELEASE_DIR := bin/release-test
test-edge: RELEASE_PLATFORMS := $(HOST_PLATFORM)
