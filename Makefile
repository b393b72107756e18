# Short wrapper around CMake/CTest (like cmark's): make, make check, make asan, make bench,
# make demo, make fuzz, make ci.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=
CTEST_ARGS ?= --output-on-failure --timeout 300
FUZZ_SECONDS ?= 20
FUZZ_RUNS ?=

.PHONY: all check asan bench demo fuzz ci clean deps

all:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)
	cmake --build $(BUILD) -j$(JOBS)

check: all
	cd $(BUILD) && ctest -j$(JOBS) $(CTEST_ARGS)

asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCHAPAR_SANITIZE=ON -DCHAPAR_WERROR=ON $(CMAKE_ARGS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest -j$(JOBS) $(CTEST_ARGS) -LE slow

bench: all
	sh bench/run.sh $(BUILD)

demo: deps all
	./$(BUILD)/chapar demo

fuzz:
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCHAPAR_FUZZ=ON -DCHAPAR_TESTS=OFF $(CMAKE_ARGS)
	cmake --build $(FUZZ_BUILD) -j$(JOBS)
	sh fuzz/run-all.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_RUNS)

deps:
	sh scripts/install-deps.sh

# What CI runs: warnings as errors, the whole suite, the suite again under ASan+UBSan,
# then each fuzzer briefly (a fixed number of runs from a fixed seed: repeatable).
ci: deps
	$(MAKE) check CMAKE_ARGS="-DCHAPAR_WERROR=ON"
	$(MAKE) asan
	$(MAKE) fuzz FUZZ_SECONDS=60 FUZZ_RUNS=30000

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
