#include "runtime/torch_threads.hpp"

#include <ATen/Parallel.h>
#include <dlfcn.h>

#include <algorithm>

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
  if (auto* set = openblas_function<void(int)>("openblas_set_num_threads")) set(threads);
}

std::optional<int> blas_threads() {
  auto* get = openblas_function<int()>("openblas_get_num_threads");
  if (get == nullptr) return std::nullopt;
  return get();
}

}  // namespace chorus::runtime
