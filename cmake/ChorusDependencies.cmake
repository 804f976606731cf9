# Every third-party library, all from Debian 12 packages (scripts/install-deps.sh).

find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SNDFILE REQUIRED IMPORTED_TARGET sndfile)
# Ogg Vorbis: pages by libogg, decoding by FFmpeg (src/audio/vorbis_decoder.hpp)
pkg_check_modules(OGG REQUIRED IMPORTED_TARGET ogg)
pkg_check_modules(AVCODEC REQUIRED libavcodec libavutil)
pkg_check_modules(SOXR REQUIRED IMPORTED_TARGET soxr)
pkg_check_modules(FFTW3F REQUIRED IMPORTED_TARGET fftw3f)
pkg_check_modules(FFTW3 REQUIRED IMPORTED_TARGET fftw3)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
# libcsv ships no pkg-config file: a plain library and header.
find_library(LIBCSV_LIBRARY csv REQUIRED)
find_path(LIBCSV_INCLUDE_DIR csv.h REQUIRED)
add_library(libcsv::libcsv INTERFACE IMPORTED)
target_link_libraries(libcsv::libcsv INTERFACE ${LIBCSV_LIBRARY})
target_include_directories(libcsv::libcsv INTERFACE ${LIBCSV_INCLUDE_DIR})
find_package(PNG REQUIRED)
# tcmalloc keeps freed memory for reuse; with glibc's malloc every large activation tensor of a
# forward pass is fresh mmap'd memory and inference spends as much time page-faulting as
# computing (measured: 41 s → 17 s for 32 minutes of soundscapes with EfficientNet-B0).
# AddressSanitizer brings its own allocator: sanitized builds use it instead.
if(CHORUS_SANITIZE OR CHORUS_FUZZ)
  set(CHORUS_TCMALLOC "")
else()
  find_library(CHORUS_TCMALLOC tcmalloc_minimal REQUIRED)
endif()
find_package(TBB REQUIRED)
find_package(fmt REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 CONFIG REQUIRED)

# Where the real recordings live: ../shared/data beside the checkout. Tests that need them
# skip with a message when it is absent; CI always has it.
set(CHORUS_SHARED_DATA "${CMAKE_SOURCE_DIR}/../shared/data" CACHE PATH "Shared recordings")
