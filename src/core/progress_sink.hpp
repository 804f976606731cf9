#pragma once
// How long library work reports its progress without printing: the library counts, the program
// decides what is shown (the CLI draws core::Progress bars on stderr; tests and library users
// that pass no sink see nothing).

#include <cstdint>
#include <memory>
#include <string>

namespace chorus::core {

// One counted piece of work. Thread-safe: workers advance it concurrently.
class ProgressTask {
 public:
  virtual ~ProgressTask() = default;
  virtual void advance(std::uint64_t amount = 1) = 0;
  // Text shown with the count until replaced ("loss 0.412").
  virtual void set_note(std::string note) = 0;
  // The work is over (also when the task is destroyed).
  virtual void finish() = 0;
};

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // A task named `label` of `total` units (0: unknown) counted in `unit` ("files", "batches").
  virtual std::unique_ptr<ProgressTask> start(std::string label, std::uint64_t total,
                                              std::string unit) = 0;
};

// sink->start(…), or a task that reports nowhere when there is no sink.
std::unique_ptr<ProgressTask> start_task(ProgressSink* sink, std::string label, std::uint64_t total,
                                         std::string unit);

}  // namespace chorus::core
