#pragma once
// Progress of long work on stderr, as the programs show it: a redrawn bar with rate and ETA on a
// terminal, a plain line every few seconds otherwise (logs, CI, Slurm). Thread-safe: workers
// call advance(). Library code never makes one: it reports to a ProgressSink
// (core/progress_sink.hpp), and a program passes a TerminalProgress.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "core/progress_sink.hpp"

namespace chorus::core {

// "4:05", or "1:02:03" from an hour on.
std::string format_duration(double seconds);

class Progress final : public ProgressTask {
 public:
  // `total` 0 means unknown (no bar, no ETA). `unit` names what is counted ("files", "s").
  Progress(std::string label, std::uint64_t total, std::string unit);
  ~Progress() override;
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::uint64_t amount = 1) override;
  // Text shown after the rate and ETA until replaced ("loss 0.412"); thread-safe.
  void set_note(std::string note) override;
  // Prints the final line (once); the destructor calls it too.
  void finish() override;

  // Globally off (--quiet, tests).
  static void set_enabled(bool enabled);
  static bool enabled();

  // The text of one status line, exposed for tests.
  static std::string format_line(const std::string& label, std::uint64_t done, std::uint64_t total,
                                 const std::string& unit, double elapsed_seconds, int bar_width,
                                 const std::string& note = {});

 private:
  void render();

  using Clock = std::chrono::steady_clock;
  std::string label_;
  std::uint64_t total_;
  std::string unit_;
  std::string note_;  // guarded by render_mutex_
  std::atomic<std::uint64_t> done_{0};
  Clock::time_point start_;
  // Ticks of the last redraw: read by every advance() on any thread, so atomic.
  std::atomic<Clock::rep> last_render_;
  std::mutex render_mutex_;
  bool terminal_;
  bool finished_ = false;
};

// The sink a program passes to library work: each task a Progress on stderr.
class TerminalProgress final : public ProgressSink {
 public:
  std::unique_ptr<ProgressTask> start(std::string label, std::uint64_t total,
                                      std::string unit) override;
};

}  // namespace chorus::core
