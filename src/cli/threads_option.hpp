#pragma once
// --threads, as every command takes it: 0 means all cores; more than kThreadsPerCore per core
// only oversubscribes them, and a typo such as 100000 would start that many threads, so a larger
// value is capped with a warning on stderr.

#include <CLI/CLI.hpp>
#include <string>

namespace chorus::cli {

inline constexpr int kThreadsPerCore = 4;

CLI::Option* add_threads_option(CLI::App& command, int& threads, const std::string& description);

}  // namespace chorus::cli
