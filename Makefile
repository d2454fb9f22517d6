# Sockerless build. `make run` starts the daemon, `make test` runs every test.
GO        ?= go
GEN       := build/gen
GUEST     := runtime/internal/guest/sandbox.wasm
BIN       := bin/sockerless
SH_DIR     = $(shell $(GO) list -m -f '{{.Dir}}' mvdan.cc/sh/v3)
GUEST_SRC := $(shell find guests/sandbox builtins wit -name '*.go' -not -name '*_test.go' 2>/dev/null)
HOST_SRC  := $(shell find . -name '*.go' -not -path './build/*' -not -path './guests/*' 2>/dev/null)

.PHONY: all build guest deps run test test-unit test-e2e test-shpatch bench conformance conformance-backend clean

all: build

build: $(BIN)

guest: $(GUEST)

# mvdan.cc/sh/v3 as the guest needs it, in build/gen (never committed):
# guests/sandbox/internal/shpatch says what changes and why (in-process
# pipes on wasip1, per-shell $$, killable background jobs with pids).
$(GEN)/sh/.patched: go.mod go.sum $(shell find guests/sandbox/internal/shpatch -name "*.go")
	mkdir -p $(GEN)
	$(GO) mod download mvdan.cc/sh/v3
	$(GO) run ./guests/sandbox/internal/shpatch $(SH_DIR) $(GEN)/sh
	touch $@

# The patched module's own tests: upstream's, which the patches must keep
# passing (less the cases that need a non-root user, and `wait foo`, whose
# status the pid patch changes), and the differential test of the fast
# paths (guests/sandbox/internal/shpatch/overlay).
test-shpatch: $(GEN)/sh/.patched
	cd $(GEN)/sh && $(GO) test -count=1 ./expand ./interp ./internal/... ./pattern \
		-skip 'TestRunnerRun/#(550|132[6-9]|1330)$$'

$(GEN)/guest.mod: go.mod go.sum $(GEN)/sh/.patched
	cp go.mod $@ && cp go.sum $(GEN)/guest.sum
	echo 'replace mvdan.cc/sh/v3 => ./$(GEN)/sh' >> $@

$(GUEST): $(GEN)/guest.mod $(GUEST_SRC)
	GOOS=wasip1 GOARCH=wasm GOFLAGS=-mod=mod $(GO) build -modfile=$(GEN)/guest.mod \
		-buildmode=c-shared -trimpath -ldflags='-s -w' -o $@ ./guests/sandbox

$(BIN): $(GUEST) $(HOST_SRC) go.mod go.sum
	$(GO) build -trimpath -o $@ ./cmd/sockerless

run: $(BIN)
	$(BIN) $(ARGS)

# Every test: unit tests (natively), the end-to-end suites (docker CLI, SDK,
# compose, act, gitlab-ci-local, busybox, backends) that go test runs, the
# race detector on the engine, then the differential conformance suite
# against a reference Docker Engine.
deps:
	./tests/deps.sh

test: deps $(GUEST)
	$(GO) vet -stdmethods=false ./...  # wazero's sys.File has Seek with an Errno result
	$(GO) test -count=1 ./...
	$(MAKE) test-shpatch
	$(GO) test -count=1 -race ./runtime/sandbox/...
	$(MAKE) conformance
	$(MAKE) conformance-backend

# Benchmarks print numbers (see bench/README.md); they assert nothing about
# time. Latency benchmarks repeat; the heavy ones run once.
bench: deps $(BIN)
	$(GO) test -run '^$$' -bench 'ContainerTrue' -benchtime 300x ./bench/
	$(GO) test -run '^$$' -bench 'StopLatency|CLIRunTrue|SDKLifecycle|BackendDockerHop' -benchtime 20x ./bench/
	$(GO) test -run '^$$' -bench 'Idle1000|ShellLoop|ShellShapes|TextPipeline|ActWorkflow|GitlabPipeline' -benchtime 1x -timeout 30m ./bench/

# Differential conformance (tests/conformance): every scenario against a
# private reference dockerd (tests/refdocker; needs root) and against
# bin/sockerless, which the test builds with `make build` (a failed build
# fails the sockerless half only); the summary is in build/conformance/summary.txt.
conformance: deps
	CONFORMANCE=1 $(GO) test -count=1 -timeout 30m ./tests/conformance; \
		rc=$$?; cat build/conformance/summary.txt 2>/dev/null; exit $$rc

# The same scenarios with every container on the docker backend: a second
# private dockerd runs them behind sockerless's docker adapter, and the
# outputs are compared with the goldens the run above checks against the
# live reference; summary in build/conformance/summary-docker.txt.
conformance-backend: deps
	CONFORMANCE=1 CONFORMANCE_BACKEND=docker $(GO) test -count=1 -timeout 30m -run '^TestConformance$$' ./tests/conformance; \
		rc=$$?; cat build/conformance/summary-docker.txt 2>/dev/null; exit $$rc

clean:
	rm -rf bin build $(GUEST)

# Backend adapters (runtime/backend): built from guests/adapters, embedded
# by runtime/backend/builtin, never committed.
ADAPTERS    := runtime/backend/builtin/docker.wasm
ADAPTER_SRC := $(shell find guests/adapters runtime/backend/wire -name '*.go' -not -name '*_test.go' -not -path 'guests/adapters/testdata/*' 2>/dev/null)

.PHONY: adapters clean-adapters
adapters: $(ADAPTERS)

runtime/backend/builtin/%.wasm: go.mod go.sum $(ADAPTER_SRC)
	GOOS=wasip1 GOARCH=wasm $(GO) build -buildmode=c-shared -trimpath -ldflags='-s -w' -o $@ ./guests/adapters/$*

$(BIN): $(ADAPTERS)
test: $(ADAPTERS)
bench: $(ADAPTERS)
clean: clean-adapters
clean-adapters:
	rm -f $(ADAPTERS)

# Offline CI pipelines (tests/ci): act workflows and gitlab-ci-local
# pipelines against a private reference dockerd and against sockerless.
# tests/ci/setup.sh installs act, gitlab-ci-local, Node 22 and the Debian
# rootfs under build/ (once). `go test ./tests/ci -run Reference` runs the
# reference half alone.
.PHONY: ci
ci: deps
	./tests/ci/setup.sh
	$(GO) test -count=1 -timeout 20m ./tests/ci
