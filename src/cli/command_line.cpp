#include "cli/command_line.hpp"

#include <cstdio>
#include <exception>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/version.hpp"

namespace chorus::cli {

void add_commands(CLI::App& app, const NetworkCommands& network) {
  add_synth_command(app);
  add_info_command(app, network);
  add_mel_command(app);
  add_prepare_command(app);
  add_clean_command(app);
  add_folds_command(app);
  network.add(app, NetworkCommand::import_weights);
  network.add(app, NetworkCommand::forward);
  network.add(app, NetworkCommand::train);
  network.add(app, NetworkCommand::predict);
  network.add(app, NetworkCommand::pseudo);
  network.add(app, NetworkCommand::selftrain);
  add_merge_command(app);
  add_eval_command(app);
  network.add(app, NetworkCommand::config);
  add_demo_command(app);
}

int run_command_line(int argc, char** argv, const NetworkCommands& network) {
  CLI::App app{
      "chorus: bioacoustic species detection: learn species from labelled recordings "
      "and scan field recordings for them"};
  app.name("chorus");
  app.set_version_flag("--version", std::string("chorus ") + kVersion);
  app.require_subcommand(1);
  bool quiet = false;
  app.add_flag("--quiet", quiet, "No progress display");
  app.parse_complete_callback([&] { core::Progress::set_enabled(!quiet); });
  add_commands(app, network);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(
        stderr, "error: %s (run 'chorus %s--help')\n", e.what(),
        app.get_subcommands().empty() ? "" : (app.get_subcommands()[0]->get_name() + " ").c_str());
    return 2;
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s (%s)\n", e.what(), e.where().c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace chorus::cli
