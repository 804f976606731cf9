#include "core/progress_sink.hpp"

namespace chorus::core {
namespace {

class SilentTask final : public ProgressTask {
 public:
  void advance(std::uint64_t) override {}
  void set_note(std::string) override {}
  void finish() override {}
};

}  // namespace

std::unique_ptr<ProgressTask> start_task(ProgressSink* sink, std::string label, std::uint64_t total,
                                         std::string unit) {
  if (sink == nullptr) return std::make_unique<SilentTask>();
  return sink->start(std::move(label), total, std::move(unit));
}

}  // namespace chorus::core
