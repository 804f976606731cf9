# chorus: one-command set-up on a fresh Debian 12 machine (root, or sudo).
#   make demo   install dependencies, build, run the end-to-end demo
#   make test   install dependencies, build, run the test suite (all but the `slow` label)
#   make test-all  the same with the `slow` tests (the demo, long training runs)
#   make lint   the mechanical checks CI runs first (clang-format over src/, tests/, bench/)
#   make bench  build and run the benchmarks (see BENCHMARKS.md)
#   make test-isa  the test suite once per CPU instruction-set level (ISAS="AVX2 ALL" by default)

BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test test-all test-isa lint bench clean

all: build

deps:
	./scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/src/cli/chorus demo --out out/demo --threads $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE slow

test-all: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

lint: deps
	./scripts/lint.sh

# Results must not depend on the CPU: oneDNN and LibTorch capped at each level (scripts/test-isa.sh).
ISAS ?= AVX2 ALL
test-isa: build
	./scripts/test-isa.sh $(BUILD) $(ISAS)

bench: build
	./bench/run_features.sh $(BUILD)

clean:
	rm -rf $(BUILD) out
