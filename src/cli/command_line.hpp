#pragma once
// The command-line front end of both programs, chorus and chorus-torch (network_commands.hpp):
// every command in the order of the pipeline, which is the order --help lists them in.

#include "cli/network_commands.hpp"

namespace chorus::cli {

void add_commands(CLI::App& app, const NetworkCommands& network);

// Parses, runs the chosen command, and turns errors into the exit status: 0 success, 2 bad input
// or usage (one `error: <what> (<where>)` line), 1 an internal failure.
int run_command_line(int argc, char** argv, const NetworkCommands& network);

}  // namespace chorus::cli
