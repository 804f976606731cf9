#include "cli/command_line.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <new>
#include <string>
#include <string_view>

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
  network.add(app, NetworkCommand::calibrate);
  add_merge_command(app);
  add_segments_command(app);
  add_eval_command(app);
  network.add(app, NetworkCommand::config);
  add_demo_command(app);
}

namespace {

// A repeatable option takes one value per use, so `--model m.ckpt rec.wav` leaves rec.wav to the
// command's inputs instead of reading it as a second checkpoint.
void one_value_per_use(CLI::App& app) {
  for (CLI::Option* option : app.get_options())
    if (option->nonpositional() && option->get_items_expected_max() > 1)
      option->allow_extra_args(false);
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; }))
    one_value_per_use(*command);
}

// An error is one line on stderr, whatever it quotes: a control character (a newline in a file
// name) is written as a C escape, so a log reader sees one error per line.
std::string one_line(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (const char c : message) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (byte < 0x20 || byte == 0x7f)
      out += fmt::format("\\x{:02x}", byte);
    else
      out += c;
  }
  return out;
}

void print_error(std::string_view message) {
  std::fprintf(stderr, "error: %s\n", one_line(message).c_str());
}

}  // namespace

int run_command_line(int argc, char** argv, const NetworkCommands& network) {
  CLI::App app{
      "chorus: bioacoustic species detection: learn species from labelled recordings "
      "and scan field recordings for them"};
  app.name("chorus");
  app.set_version_flag("--version", std::string("chorus ") + kVersion);
  app.require_subcommand(1);
  bool quiet = false, verbose = false;
  app.add_flag("--quiet", quiet, "No progress display");
  app.add_flag("--verbose", verbose, "Errors also name the source location that raised them");
  app.parse_complete_callback([&] { core::Progress::set_enabled(!quiet); });
  add_commands(app, network);
  one_value_per_use(app);
  // --quiet and --verbose may also follow the command (`chorus predict … --quiet`). A stand-in
  // that hands its arguments to chorus-torch parses nothing; chorus-torch reads them there.
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    if (command->get_prefix_command()) continue;
    command->add_flag("--quiet", quiet, "No progress display");
    command->add_flag("--verbose", verbose,
                      "Errors also name the source location that raised them");
  }

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
    print_error(verbose ? fmt::format("{} ({})", e.what(), e.where()) : std::string(e.what()));
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {
    // The file system refused a path (a symbolic link loop, no permission, a full disk): a
    // problem of that path, named, not of chorus.
    print_error(e.path1().empty()   ? std::string(e.what())
                : e.path2().empty() ? fmt::format("{}: {}", e.path1().string(), e.code().message())
                                    : fmt::format("{} → {}: {}", e.path1().string(),
                                                  e.path2().string(), e.code().message()));
    return 2;
  } catch (const std::bad_alloc&) {
    // Settings within their ranges can still ask more than this machine has (a large batch of
    // long windows): say so rather than "internal error: std::bad_alloc".
    print_error(
        "out of memory: the run needs more than this machine has (lower train.batch_size, "
        "data.window_seconds, infer.batch_size or --threads)");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error: %s\n", e.what());
    return 1;
  }
  return 0;
}

void exit_skipping_library_teardown(int status) {
#if defined(__SANITIZE_ADDRESS__)
  std::exit(status);
#else
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(status);
#endif
}

}  // namespace chorus::cli
