# Compiler set-up shared by every target: ccache, the CPU baseline and warnings.

find_program(CHORUS_CCACHE ccache)
if(CHORUS_CCACHE)
  # Precompiled headers are only cache-safe with these sloppiness settings (ccache manual,
  # "Precompiled headers"); the base directory makes hits independent of where the checkout is.
  set(_launcher ${CMAKE_COMMAND} -E env
      "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
      "CCACHE_BASEDIR=${CMAKE_SOURCE_DIR}" ${CHORUS_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${_launcher})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${_launcher})
endif()

# The release binary must run on any x86-64 machine of the last decade, so the baseline is
# x86-64-v2 (SSE4.2, POPCNT). The few hot DSP loops add AVX2/AVX-512 clones chosen at run time
# (CHORUS_HOT_LOOP in src/core/simd.hpp); FFTW and OpenBLAS dispatch on their own.
set(CHORUS_ARCH "x86-64-v2" CACHE STRING "Value for -march on x86-64 (empty: compiler default)")
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64" AND CHORUS_ARCH)
  add_compile_options(-march=${CHORUS_ARCH})
endif()

# -fno-math-errno lets GCC vectorise log/exp loops through glibc's libmvec; results stay
# IEEE-exact per call, only errno is not set.
add_compile_options(-fno-math-errno)
string(REPLACE "-O3" "-O2" CMAKE_CXX_FLAGS_RELEASE "${CMAKE_CXX_FLAGS_RELEASE}")

# Sanitized builds: every chorus object and program instrumented; a finding stops the program
# (no recovery) so a test fails on it. LibTorch and the other system libraries are not rebuilt.
if(CHORUS_SANITIZE OR CHORUS_FUZZ)
  set(_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer -g)
  add_compile_options(${_sanitizers})
  add_link_options(-fsanitize=address,undefined)
endif()
if(CHORUS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CHORUS_FUZZ needs clang ≥ 15 (libFuzzer): configure with CC=clang-16 CXX=clang++-16")
  endif()
  # Coverage feedback for libFuzzer in every object; the targets link the fuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# Designated initialisers that leave defaulted members out are the point of designated
# initialisers; -Wextra would warn about each.
set(CHORUS_WARNINGS -Wall -Wextra -Wpedantic -Wno-unused-parameter -Wno-missing-field-initializers)

