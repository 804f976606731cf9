// chorus: the command-line front end. Exit status: 0 success, 2 bad input or usage (with a
// one-line `error: …`), 1 an internal failure.

#include <cstdio>
#include <exception>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"chorus: bioacoustic species detection: learn species from labelled recordings "
               "and scan field recordings for them"};
  app.name("chorus");
  app.set_version_flag("--version", std::string("chorus ") + chorus::kVersion);
  app.require_subcommand(1);
  bool quiet = false;
  app.add_flag("--quiet", quiet, "No progress display");
  app.parse_complete_callback([&] { chorus::core::Progress::set_enabled(!quiet); });

  // In the order of the pipeline, which is the order `chorus --help` lists them in.
  chorus::cli::add_synth_command(app);
  chorus::cli::add_info_command(app);
  chorus::cli::add_mel_command(app);
  chorus::cli::add_prepare_command(app);
  chorus::cli::add_clean_command(app);
  chorus::cli::add_folds_command(app);
  chorus::cli::add_import_command(app);
  chorus::cli::add_forward_command(app);
  chorus::cli::add_train_command(app);
  chorus::cli::add_predict_command(app);
  chorus::cli::add_merge_command(app);
  chorus::cli::add_eval_command(app);
  chorus::cli::add_config_command(app);
  chorus::cli::add_demo_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "error: %s (run 'chorus %s--help')\n", e.what(),
                 app.get_subcommands().empty() ? "" : (app.get_subcommands()[0]->get_name() + " ").c_str());
    return 2;
  } catch (const chorus::Error& e) {
    std::fprintf(stderr, "error: %s (%s)\n", e.what(), e.where().c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}
