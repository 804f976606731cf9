#include "core/parallel.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "core/error.hpp"

namespace chorus::core {

int resolve_threads(int requested) {
  CHORUS_CHECK_AS(ConfigError, requested >= 0, "--threads {} must be 0 (all) or positive",
                  requested);
  if (requested > 0) return requested;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

void parallel_for(std::size_t n, int threads, std::size_t grain,
                  const std::function<void(std::size_t, std::size_t)>& body) {
  if (n == 0) return;
  threads = resolve_threads(threads);
  if (threads == 1 || n <= grain) {
    body(0, n);
    return;
  }
  // More threads than cores only oversubscribes (and makes oneTBB print a warning).
  tbb::task_arena arena(
      std::min(threads, static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))));
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, std::max<std::size_t>(grain, 1)),
                      [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); });
  });
}

std::vector<ItemFailure> parallel_for_each_item(std::size_t n, int threads,
                                                const std::function<void(std::size_t)>& body) {
  std::vector<ItemFailure> failures;
  std::mutex mutex;
  parallel_for(n, threads, 1, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      try {
        body(i);
      } catch (const Error& e) {
        std::lock_guard lock(mutex);
        // The message alone: it reaches errors.csv and warnings, where users read it (the source
        // location is for `--verbose` errors of the command itself).
        failures.push_back({i, e.what()});
      }
    }
  });
  std::sort(failures.begin(), failures.end(),
            [](const ItemFailure& a, const ItemFailure& b) { return a.index < b.index; });
  return failures;
}

}  // namespace chorus::core
