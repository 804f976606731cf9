#pragma once
// Two programs, one command line. Debian's LibTorch loads about 290 shared libraries before
// main() (libtorch_cpu pulls in OpenCV, Qt, GStreamer, GDAL, FFmpeg …): 0.4–0.8 s of start-up
// that `chorus info`, `mel`, `eval`, `folds` or `merge` have no use for. So `chorus` links no
// LibTorch, and the commands that need it are handed to `chorus-torch`, the complete program
// built beside it: chorus replaces its own process with chorus-torch and the same arguments, so
// exit status, output and signals are chorus-torch's own. Both list the same commands, in the
// same order, with the same descriptions.

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/config_file.hpp"

namespace chorus::cli {

// The commands that need LibTorch (and `chorus info --model`).
enum class NetworkCommand {
  import_weights,
  forward,
  train,
  predict,
  pseudo,
  selftrain,
  calibrate,
  config
};

// The command with its name and description, as both programs list it.
CLI::App* add_subcommand(CLI::App& app, NetworkCommand command);

// How the program at hand provides the network commands.
class NetworkCommands {
 public:
  virtual ~NetworkCommands() = default;
  virtual void add(CLI::App& app, NetworkCommand command) const = 0;
  // What `chorus info --model` prints (see describe_model in commands.hpp).
  virtual std::string describe_model(const std::string& name_or_checkpoint,
                                     const core::ConfigSource& config) const = 0;
};

// chorus: each network command but predict is a stand-in that takes every argument and hands the
// whole command line to chorus-torch; predict runs here and hands over only for a checkpoint
// that stores no description of its network. `argv` is main's, kept for the hand-over.
class HandedOverNetworkCommands final : public NetworkCommands {
 public:
  HandedOverNetworkCommands(int argc, char** argv) : argc_(argc), argv_(argv) {}
  void add(CLI::App& app, NetworkCommand command) const override;
  std::string describe_model(const std::string&, const core::ConfigSource&) const override;

 private:
  // Replaces this process by chorus-torch with the same arguments; an Error if it cannot.
  [[noreturn]] void hand_over() const;
  int argc_;
  char** argv_;
};

}  // namespace chorus::cli
