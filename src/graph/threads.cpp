#include "graph/threads.hpp"

#include <algorithm>
#include <atomic>

namespace chorus::graph {
namespace {

std::atomic<int> threads{1};

}  // namespace

void set_inference_threads(int count) { threads.store(std::max(1, count)); }

int inference_threads() { return threads.load(); }

}  // namespace chorus::graph
