#pragma once
// Thread counts and parallel loops. chorus never uses "all cores" implicitly: every command takes
// --threads, and the count given here is the count used (oneTBB arenas, not the global pool).

#include <cstddef>
#include <functional>

namespace chorus::core {

// 0 means "all hardware threads"; negative is a user error.
int resolve_threads(int requested);

// Calls body(begin, end) over disjoint ranges covering [0, n), on at most `threads` threads.
// `grain` is the smallest range handed out. The first exception thrown by a body is rethrown
// here after the loop stops; the others are dropped.
void parallel_for(std::size_t n, int threads, std::size_t grain,
                  const std::function<void(std::size_t begin, std::size_t end)>& body);

}  // namespace chorus::core
