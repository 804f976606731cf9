#pragma once
// Thread counts and parallel loops. chorus never uses "all cores" implicitly: every command takes
// --threads, and the count given here is the count used (oneTBB arenas, not the global pool).

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace chorus::core {

// 0 means "all hardware threads"; negative is a user error.
int resolve_threads(int requested);

// Calls body(begin, end) over disjoint ranges covering [0, n), on at most `threads` threads.
// `grain` is the smallest range handed out. The first exception thrown by a body is rethrown
// here after the loop stops; the others are dropped.
void parallel_for(std::size_t n, int threads, std::size_t grain,
                  const std::function<void(std::size_t begin, std::size_t end)>& body);

// parallel_for for a loop that a parallel_for_each_item item runs on its share of the threads
// (the windows of one recording among the recordings a run predicts at once). Until every item
// has started it is parallel_for. After that, a loop on one thread (`threads` 1) also goes to
// the item loop's threads that have run out of items: the last recordings of a run no longer
// leave threads waiting while they finish. At most the item loop's threads run it.
void nested_parallel_for(std::size_t n, int threads, std::size_t grain,
                         const std::function<void(std::size_t begin, std::size_t end)>& body);

// A bad item among many (a corrupt file in a folder) is reported, not fatal to the others.
struct ItemFailure {
  std::size_t index;
  std::string message;  // what the chorus::Error said
};

// Calls body(i) for every i in [0, n), one item at a time per thread. An item whose body throws
// chorus::Error is recorded and the rest go on; other exceptions (bugs) propagate. Failures are
// returned in index order.
std::vector<ItemFailure> parallel_for_each_item(std::size_t n, int threads,
                                                const std::function<void(std::size_t)>& body);

}  // namespace chorus::core
