// SiLU where graph/silu.cpp's AVX-512 kernel cannot run. Built with -O3 -ffast-math
// (src/graph/CMakeLists.txt) so the loop vectorises through glibc's vector expf (libmvec); one
// clone per instruction set, chosen when the program loads.

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace chorus::graph::detail {

__attribute__((target_clones("avx2", "default"))) void silu_portable(const float* x, float* y,
                                                                     std::size_t count) {
  // x is held at −80 and above: exp(80) ≈ 5.5e34 stays finite (fast-math assumes no
  // infinities), and SiLU there is below 1e-32 in magnitude, as −80 / (1 + e^80) is.
  for (std::size_t i = 0; i < count; ++i) {
    const float held = std::max(x[i], -80.0f);
    y[i] = held / (1.0f + std::exp(-held));
  }
}

}  // namespace chorus::graph::detail
