// Parallel loops: every index once, failures of items collected, and the windows of a run's last
// recordings shared with the threads that have finished theirs.

#include "core/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace chorus::core {
namespace {

std::vector<int> visits(std::size_t n, int threads) {
  std::vector<std::atomic<int>> counts(n);
  parallel_for(n, threads, 3, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) ++counts[i];
  });
  return {counts.begin(), counts.end()};
}

TEST(ParallelFor, VisitsEveryIndexOnce) {
  for (const int threads : {1, 2, 4})
    EXPECT_EQ(visits(1000, threads), std::vector<int>(1000, 1)) << threads << " threads";
}

TEST(ParallelForEachItem, ABadItemIsRecordedAndTheOthersGoOn) {
  std::atomic<int> done{0};
  const auto failures = parallel_for_each_item(6, 2, [&](std::size_t i) {
    if (i == 4 || i == 1) throw IoError("item " + std::to_string(i) + " is bad");
    ++done;
  });
  EXPECT_EQ(done.load(), 4);
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].index, 1u);
  EXPECT_EQ(failures[1].index, 4u);
  EXPECT_NE(failures[1].message.find("item 4 is bad"), std::string::npos);
}

// The threads that ran the indices of a nested loop inside item 1 of two, item 0 returning at
// once.
std::set<std::thread::id> nested_threads(int item_threads, int loop_threads) {
  std::set<std::thread::id> threads;
  std::mutex mutex;
  std::vector<std::atomic<int>> counts(48);
  parallel_for_each_item(2, item_threads, [&](std::size_t item) {
    if (item == 0) return;
    // Both items have started; give the other thread time to finish item 0 and wait.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    nested_parallel_for(counts.size(), loop_threads, 1, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        ++counts[i];
        std::this_thread::sleep_for(std::chrono::milliseconds(4));
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
      }
    });
  });
  for (const auto& count : counts) EXPECT_EQ(count.load(), 1);
  return threads;
}

TEST(NestedParallelFor, TheLastItemsLoopGoesToTheThreadsThatFinished) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "needs 2 cores";
  // The item's own share is one thread; the thread that finished item 0 takes some indices.
  EXPECT_EQ(nested_threads(2, 1).size(), 2u);
  // One thread for the items: nothing to share.
  EXPECT_EQ(nested_threads(1, 1).size(), 1u);
}

TEST(NestedParallelFor, OutsideALoopIsParallelFor) {
  std::set<std::thread::id> threads;
  std::mutex mutex;
  nested_parallel_for(40, 1, 1, [&](std::size_t, std::size_t) {
    std::lock_guard lock(mutex);
    threads.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(threads, std::set<std::thread::id>{std::this_thread::get_id()});
}

}  // namespace
}  // namespace chorus::core
