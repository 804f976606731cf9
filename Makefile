# chorus: one-command set-up on a fresh Debian 12 machine (root, or sudo).
#   make demo   install dependencies, build, run the end-to-end demo
#   make test   install dependencies, build, run the test suite (all but the `slow` label)
#   make test-all  the same with the `slow` tests (the demo, long training runs)
#   make lint   the mechanical checks CI runs first (clang-format over src/, tests/, bench/)
#   make bench  build and run the benchmarks (see BENCHMARKS.md)
#   make test-isa  the test suite once per CPU instruction-set level (ISAS="AVX2 ALL" by default)
#   make test-asan  the unit and robustness tests in an AddressSanitizer + UBSan build
#   make fuzz   build the libFuzzer targets with clang and run each for FUZZ_SECONDS (600)

BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test test-all test-isa test-asan fuzz lint bench clean

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

# chorus's own code instrumented (LibTorch and the system libraries are not); any finding fails the
# test that met it. detect_leaks=0: LibTorch's and oneDNN's process-lifetime caches read as leaks.
ASAN_BUILD ?= build-asan
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHORUS_SANITIZE=ON \
	  -DCHORUS_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target sanitizer_tests
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -L 'unit|robustness'

# The readers of untrusted files under libFuzzer (fuzz/): clang, ASan and UBSan.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
fuzz:
	./scripts/install-deps.sh fuzz
	CC=clang-16 CXX=clang++-16 cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCHORUS_FUZZ=ON -DCHORUS_BUILD_TESTS=OFF -DCHORUS_BUILD_BENCH=OFF
	cmake --build $(FUZZ_BUILD) --target fuzz_targets -j $(JOBS)
	./fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	./bench/run_features.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) out
