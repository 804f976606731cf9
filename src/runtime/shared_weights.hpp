#pragma once
// The convolution weights of one CompiledNetwork, converted once for all its graphs.
//
// Every graph (one per concurrent caller and input shape) would otherwise reorder each
// convolution's weights into its kernel's layout and keep its own copy: on 2 threads that is
// two copies of the network's weights competing for the cache. Graphs of one network and
// precision pick the same kernels, hence the same weight layouts, so they share these read-only
// buffers; a kernel that wants another layout (another input shape can choose differently) gets
// its own entry. In bf16 the graphs hold only bf16 weights; the network keeps its float32
// parameters, from which a graph for a new input shape is compiled (and which its head uses).

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>
#include <vector>

namespace torch::nn {
class Conv2dImpl;
}

namespace chorus::runtime {

class SharedWeights {
 public:
  struct Constants {
    dnnl::memory weights;  // in the layout and data type of `weights_desc`
    dnnl::memory bias;     // float32
  };

  // The constants of `conv` for a kernel that reads its weights as `weights_desc`: made by
  // `make` on first use, shared afterwards. Safe to call from several threads at once.
  Constants get(const torch::nn::Conv2dImpl& conv, const dnnl::memory::desc& weights_desc,
                const std::function<Constants()>& make);

  // Bytes of every weight and bias buffer held.
  std::size_t bytes() const;

 private:
  mutable std::mutex mutex_;
  std::map<const torch::nn::Conv2dImpl*, std::vector<Constants>> entries_;
};

}  // namespace chorus::runtime
