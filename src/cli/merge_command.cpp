// chorus merge PART… --out SUB.csv: joins the submissions of `chorus predict --shard i/n` runs
// into one, in the canonical order a single run writes.

#include <fmt/format.h>

#include <memory>

#include "cli/commands.hpp"
#include "infer/shards.hpp"

namespace chorus::cli {

void add_merge_command(CLI::App& app) {
  struct Options {
    std::vector<std::string> parts;
    std::string out;
  };
  auto o = std::make_shared<Options>();
  auto* command =
      app.add_subcommand("merge", "Join the submission CSVs of sharded prediction runs");
  command->add_option("parts", o->parts, "Submission CSVs of the shards")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--out", o->out, "Merged submission CSV")->required();
  command->callback([o] {
    std::vector<std::filesystem::path> parts(o->parts.begin(), o->parts.end());
    infer::merge_submissions(parts, o->out);
    fmt::print("merged {} parts into {}\n", parts.size(), o->out);
  });
}

}  // namespace chorus::cli
