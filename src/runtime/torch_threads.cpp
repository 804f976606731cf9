#include "runtime/torch_threads.hpp"

#include <ATen/Parallel.h>
#include <dlfcn.h>

#include <algorithm>
#include <cstddef>

#include "graph/threads.hpp"

namespace chorus::runtime {
namespace {

// Looked up rather than linked: libblas.so.3 is whatever Debian's alternatives chose (OpenBLAS
// pthread or OpenMP, BLIS, the reference BLAS), and only OpenBLAS has these.
template <typename Function>
Function* openblas_function(const char* name) {
  return reinterpret_cast<Function*>(dlsym(RTLD_DEFAULT, name));
}

}  // namespace

void set_torch_threads(int threads) {
  threads = std::max(1, threads);
  at::set_num_threads(threads);
  graph::set_inference_threads(threads);
  if (auto* set = openblas_function<void(int)>("openblas_set_num_threads")) set(threads);
}

std::optional<int> blas_threads() {
  auto* get = openblas_function<int()>("openblas_get_num_threads");
  if (get == nullptr) return std::nullopt;
  return get();
}

}  // namespace chorus::runtime

// LibTorch 1.13 keeps a pthreadpool for its XNNPACK and QNNPACK kernels, which chorus's networks
// never reach (they run in oneDNN and OpenMP), and re-creates it at every at::set_num_threads,
// which runs again, lazily, in every thread that first calls an ATen operation: six times in a
// one-recording `chorus predict --threads 2`. Each new pool's workers spin for about a million
// iterations (25–50 ms each) before they sleep, beside chorus's own workers: 6 % of that run's
// wall time on 2 cores, and (threads − 1) spinning workers per re-creation on more. Linked into
// the program (with set_torch_threads), this definition takes the place of libpthreadpool's for
// LibTorch, and makes no pool: pthreadpool's functions run a null pool's work on the calling
// thread and count it as one thread (BENCHMARKS.md, "LibTorch's pthreadpool, and reading a
// checkpoint").
extern "C" struct pthreadpool* pthreadpool_create(std::size_t /*threads_count*/) { return nullptr; }
