#pragma once
// The command-line front end of both programs, chorus and chorus-torch (network_commands.hpp):
// every command in the order of the pipeline, which is the order --help lists them in.

#include "cli/network_commands.hpp"

namespace chorus::cli {

void add_commands(CLI::App& app, const NetworkCommands& network);

// Parses, runs the chosen command, and turns errors into the exit status: 0 success, 2 bad input
// or usage (one `error: <what> (<where>)` line), 1 an internal failure.
int run_command_line(int argc, char** argv, const NetworkCommands& network);

// Ends the process with `status` once the command has returned (its files written, its objects
// destroyed) without running the static destructors of the libraries it loaded: for chorus-torch
// that is LibTorch unregistering every operator, about 45 ms of each run's 0.6 s start-up and
// exit. The standard streams are flushed first. Sanitizer builds exit normally, so that
// LeakSanitizer still checks at exit.
[[noreturn]] void exit_skipping_library_teardown(int status);

}  // namespace chorus::cli
