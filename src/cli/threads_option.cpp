#include "cli/threads_option.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <thread>

namespace chorus::cli {

CLI::Option* add_threads_option(CLI::App& command, int& threads, const std::string& description) {
  const CLI::Validator cap(
      [](std::string& value) -> std::string {
        long long n = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc() || end != value.data() + value.size() || n < 0)
          return "expected 0 (all cores) or a positive number of threads";
        const long long most = static_cast<long long>(kThreadsPerCore) *
                               std::max(1u, std::thread::hardware_concurrency());
        if (n > most) {
          fmt::print(stderr, "warning: --threads {}: capped at {} ({} per core)\n", value, most,
                     kThreadsPerCore);
          value = std::to_string(most);
        }
        return {};
      },
      "THREADS", "threads");
  return command.add_option("--threads", threads, description)
      ->transform(cap)
      ->capture_default_str();
}

}  // namespace chorus::cli
