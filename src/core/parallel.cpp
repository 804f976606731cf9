#include "core/parallel.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
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

namespace {

// Set on the threads of a parallel_for_each_item while they run its items: whether every item
// has started, so that any thread of its own still waiting has nothing left to start, and
// nested_parallel_for on the threads still working can hand work to them.
struct EnclosingItems {
  const std::atomic<std::size_t>* started;
  std::size_t count;
  bool all_started() const { return started->load(std::memory_order_relaxed) >= count; }
};
thread_local const EnclosingItems* enclosing_items = nullptr;

// Sets this thread's enclosing_items for a scope, however the scope ends.
class EnclosingItemsScope {
 public:
  explicit EnclosingItemsScope(const EnclosingItems* items) : outer_(enclosing_items) {
    enclosing_items = items;
  }
  ~EnclosingItemsScope() { enclosing_items = outer_; }
  EnclosingItemsScope(const EnclosingItemsScope&) = delete;
  EnclosingItemsScope& operator=(const EnclosingItemsScope&) = delete;

 private:
  const EnclosingItems* outer_;
};

}  // namespace

void nested_parallel_for(std::size_t n, int threads, std::size_t grain,
                         const std::function<void(std::size_t, std::size_t)>& body) {
  const EnclosingItems* items = enclosing_items;
  if (resolve_threads(threads) > 1 || items == nullptr || !items->all_started() || n <= grain) {
    parallel_for(n, threads, grain, body);
    return;
  }
  // In the enclosing loop's arena, whose idle threads wait there for its end and take these
  // ranges meanwhile. (Sharing while items were still to start was measured 5-7 % slower: a
  // thread whose range was taken waits for it.)
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, std::max<std::size_t>(grain, 1)),
                    [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); });
}

std::vector<ItemFailure> parallel_for_each_item(std::size_t n, int threads,
                                                const std::function<void(std::size_t)>& body) {
  std::vector<ItemFailure> failures;
  std::mutex mutex;
  std::atomic<std::size_t> started{0};
  const EnclosingItems items{&started, n};
  const bool shared =
      std::min<std::size_t>(n, static_cast<std::size_t>(resolve_threads(threads))) > 1;
  parallel_for(n, threads, 1, [&](std::size_t begin, std::size_t end) {
    const EnclosingItemsScope scope(shared ? &items : enclosing_items);
    for (std::size_t i = begin; i < end; ++i) {
      started.fetch_add(1, std::memory_order_relaxed);
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
