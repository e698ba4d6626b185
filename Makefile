# Cadran: the two commands a newcomer needs are `make run` and `make test`.
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
export CGO_ENABLED := 0

.PHONY: run build test vet fmt cross bench clean

## run: build Cadran and serve the demo institutions on an embedded SQLite database
run: build
	./bin/cadran demo

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/cadran ./cmd/cadran

## test: every test, on SQLite and (when PostgreSQL is installed) PostgreSQL, plus the browser test
test:
	$(GO) test -count=1 -timeout 30m ./...

vet:
	$(GO) vet ./...

fmt:
	gofmt -l -w .

## cross: the Linux and Windows binaries, without cgo
cross:
	GOOS=linux GOARCH=amd64 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/cadran-linux-amd64 ./cmd/cadran
	GOOS=windows GOARCH=amd64 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/cadran-windows-amd64.exe ./cmd/cadran

## bench: the Go benchmarks recorded in BENCHMARKS.md
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin data
