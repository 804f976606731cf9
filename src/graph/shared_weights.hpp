#pragma once
// The convolution weights of one CompiledModel, converted once for all its graphs.
//
// Every graph (one per concurrent caller and input shape) would otherwise reorder each
// convolution's weights into its kernel's layout and keep its own copy: on 2 threads that is
// two copies of the network's weights competing for the cache. Graphs of one network and
// precision pick the same kernels, hence the same weight layouts, so they share these read-only
// buffers; a kernel that wants another layout (another input shape can choose differently) gets
// its own entry. In bf16 the graphs hold only bf16 weights; the model's TensorSource keeps the
// float32 arrays, from which a graph for a new input shape is compiled (and which its head uses).

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>
#include <vector>

namespace chorus::graph {

class SharedWeights {
 public:
  struct Constants {
    dnnl::memory weights;  // in the layout and data type of `weights_desc`
    dnnl::memory bias;     // float32
  };

  // The constants of the convolution whose weights are `weights` (Convolution::weight, which
  // identifies it) for a kernel that reads them as `weights_desc`: made by `make` on first use,
  // shared afterwards. Safe to call from several threads at once.
  Constants get(const float* weights, const dnnl::memory::desc& weights_desc,
                const std::function<Constants()>& make);
  // Its per-channel int8 weight scales (int8_plan.hpp), computed by `make` on first use: every
  // graph compiled in int8 needs them before it can choose its kernels.
  const std::vector<float>& scales(const float* weights,
                                   const std::function<std::vector<float>()>& make);

  // Bytes of every weight and bias buffer held.
  std::size_t bytes() const;

 private:
  mutable std::mutex mutex_;
  std::map<const float*, std::vector<Constants>> entries_;
  std::map<const float*, std::vector<float>> scales_;
};

}  // namespace chorus::graph
