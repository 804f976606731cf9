#include "runtime/autocast.hpp"

#include <ATen/autocast_mode.h>

namespace chorus::runtime {

CpuAutocast::CpuAutocast(bool enabled) : enabled_(enabled) {
  if (!enabled_) return;
  was_enabled_ = at::autocast::is_cpu_enabled();
  previous_dtype_ = at::autocast::get_autocast_cpu_dtype();
  at::autocast::set_cpu_enabled(true);
  at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  at::autocast::increment_nesting();
}

CpuAutocast::~CpuAutocast() {
  if (!enabled_) return;
  // The bf16 copies of the weights are cached for the scope; they are stale after the optimiser
  // step, so the outermost scope drops them (as torch.autocast's __exit__).
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  at::autocast::set_autocast_cpu_dtype(previous_dtype_);
  at::autocast::set_cpu_enabled(was_enabled_);
}

}  // namespace chorus::runtime
