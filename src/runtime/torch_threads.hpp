#pragma once
// How many threads LibTorch's own operations use (the eager networks of training, the heads of
// compiled networks, calibration): its intra-op OpenMP pool and the pool of the BLAS it calls.
// at::set_num_threads sets only the first. Debian's LibTorch calls BLAS through libblas.so.3,
// which scripts/install-deps.sh makes OpenBLAS (libopenblas0-pthread), and OpenBLAS keeps a
// pthread pool of its own, sized to the cores when the library loads: a head's small matrix product
// on one of chorus's workers then woke a second OpenBLAS thread, which spun in sched_yield beside
// the workers (BENCHMARKS.md, "Precision"). LibTorch's third pool, a pthreadpool for kernels
// chorus does not run, is never made (torch_threads.cpp).

#include <optional>

namespace chorus::runtime {

// Both pools, and the compiled models' count (graph/threads.hpp), to `threads` (at least 1). A
// BLAS without a pool of its own is left alone.
void set_torch_threads(int threads);

// The thread count of the BLAS pool; nullopt for a BLAS without one that chorus knows.
std::optional<int> blas_threads();

}  // namespace chorus::runtime
