// chorus: the command-line front end, without LibTorch. The commands that need it are handed to
// chorus-torch (cli/network_commands.hpp).

#include "cli/command_line.hpp"

int main(int argc, char** argv) {
  const chorus::cli::HandedOverNetworkCommands network(argc, argv);
  return chorus::cli::run_command_line(argc, argv, network);
}
