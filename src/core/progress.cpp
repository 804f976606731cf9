#include "core/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace chorus::core {
namespace {

std::atomic<bool> g_enabled{true};

// A plain line every this often when stderr is not a terminal; a redraw at most this often when
// it is.
constexpr double kPlainIntervalSeconds = 5.0;
constexpr double kTerminalIntervalSeconds = 0.1;

}  // namespace

std::string format_duration(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

Progress::Progress(std::string label, std::uint64_t total, std::string unit)
    : label_(std::move(label)),
      total_(total),
      unit_(std::move(unit)),
      start_(Clock::now()),
      last_render_(start_.time_since_epoch().count()),
      terminal_(isatty(fileno(stderr)) != 0) {}

Progress::~Progress() { finish(); }

std::unique_ptr<ProgressTask> TerminalProgress::start(std::string label, std::uint64_t total,
                                                      std::string unit) {
  return std::make_unique<Progress>(std::move(label), total, std::move(unit));
}

void Progress::set_enabled(bool enabled) { g_enabled = enabled; }
bool Progress::enabled() { return g_enabled; }

void Progress::advance(std::uint64_t amount) {
  done_ += amount;
  const double since = std::chrono::duration<double>(
                           Clock::now() - Clock::time_point(Clock::duration(last_render_.load())))
                           .count();
  if (since >= (terminal_ ? kTerminalIntervalSeconds : kPlainIntervalSeconds)) render();
}

void Progress::set_note(std::string note) {
  std::lock_guard lock(render_mutex_);
  note_ = std::move(note);
}

void Progress::finish() {
  std::lock_guard lock(render_mutex_);
  if (finished_) return;
  finished_ = true;
  if (!g_enabled) return;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const std::string line =
      format_line(label_, done_, total_, unit_, elapsed, terminal_ ? 30 : 0, note_);
  std::fprintf(stderr, terminal_ ? "\r%s\033[K\n" : "%s\n", line.c_str());
}

void Progress::render() {
  std::unique_lock lock(render_mutex_, std::try_to_lock);
  if (!lock.owns_lock() || finished_ || !g_enabled) return;  // another thread is drawing
  const auto now = Clock::now();
  last_render_ = now.time_since_epoch().count();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const std::string line =
      format_line(label_, done_, total_, unit_, elapsed, terminal_ ? 30 : 0, note_);
  std::fprintf(stderr, terminal_ ? "\r%s\033[K" : "%s\n", line.c_str());
  std::fflush(stderr);
}

std::string Progress::format_line(const std::string& label, std::uint64_t done, std::uint64_t total,
                                  const std::string& unit, double elapsed_seconds, int bar_width,
                                  const std::string& note) {
  const double rate = elapsed_seconds > 0 ? static_cast<double>(done) / elapsed_seconds : 0.0;
  std::string line = label;
  if (total > 0) {
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    if (bar_width > 0) {
      const int filled = static_cast<int>(fraction * bar_width);
      line +=
          fmt::format(" [{}{}]", std::string(filled, '#'), std::string(bar_width - filled, ' '));
    }
    line += fmt::format(" {:3.0f}% {}/{} {}", fraction * 100, done, total, unit);
  } else {
    line += fmt::format(" {} {}", done, unit);
  }
  line += fmt::format(" {:.1f} {}/s elapsed {}", rate, unit, format_duration(elapsed_seconds));
  if (total > 0 && done < total && rate > 0)
    line += " ETA " + format_duration(static_cast<double>(total - done) / rate);
  if (!note.empty()) line += "  " + note;
  return line;
}

}  // namespace chorus::core
