// Built with -O3 -ffast-math (src/models/CMakeLists.txt) so the loop vectorises through
// libmvec's expf; one clone per instruction set, chosen when the program loads.

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace chorus::models {

__attribute__((target_clones("avx512f", "avx2", "default"))) void silu(const float* x, float* y,
                                                                       std::int64_t n) {
  // exp(80) ≈ 5.5e34 stays finite (fast-math assumes no infinities); below −80 the result is −0.
  for (std::int64_t i = 0; i < n; ++i) y[i] = x[i] / (1.0f + std::exp(-std::max(x[i], -80.0f)));
}

}  // namespace chorus::models
