// chorus pseudo INPUT… --model M.ckpt [--model …] [--ensemble EXPR] --out labels.csv: labels
// unlabelled recordings for self-training. The same Predictor as `chorus predict` scores every
// chunk ([infer]: context windows, a finer sliding grid, or SED frames pooled to
// infer.chunk_seconds); the [pseudo] transforms turn the probabilities into soft targets; the
// table (formats/pseudo_table.hpp) is written atomically. A bad recording is reported and the
// rest go on (--fail-fast stops); the command fails when no recording could be labelled.

#include <fmt/format.h>

#include <atomic>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/network_commands.hpp"
#include "cli/scoring_options.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "formats/pseudo_table.hpp"
#include "infer/pseudo_labels.hpp"

namespace chorus::cli {
namespace {

struct PseudoOptions {
  ScoringOptions scoring;
  std::string out;
  infer::PseudoConfig pseudo;
};

void run_pseudo(PseudoOptions& o) {
  core::ConfigSections sections;
  sections.bind(o.scoring.infer).bind(o.scoring.postprocess).bind(o.pseudo);
  sections.load(o.scoring.config);
  o.pseudo.validate();
  CHORUS_CHECK_AS(ConfigError,
                  o.scoring.postprocess.activation != infer::Activation::none ||
                      o.scoring.infer.mode == infer::InferMode::sed,
                  "postprocess.activation = none: pseudo-labels are probabilities, not logits "
                  "(use sigmoid or softmax)");
  const auto [files, workers, threads_per_recording] = o.scoring.resolve_inputs();
  const infer::Predictor predictor = o.scoring.predictor(threads_per_recording);

  std::vector<std::optional<infer::RecordingScores>> scores(files.size());
  core::Progress progress("pseudo", files.size(), "files");
  std::atomic<bool> stop{false};
  const auto failures = core::parallel_for_each_item(files.size(), workers, [&](std::size_t i) {
    if (stop) return;
    try {
      scores[i] = predictor.predict(files[i]);
      progress.advance();
    } catch (const Error&) {
      progress.advance();
      if (o.scoring.fail_fast) stop = true;
      throw;
    }
  });
  progress.finish();
  CHORUS_CHECK_AS(FormatError, !(o.scoring.fail_fast && !failures.empty()),
                  "{} (stopped: --fail-fast)", failures.empty() ? "" : failures.front().message);

  formats::PseudoTable table;
  table.classes = predictor.classes();
  std::size_t chunks = 0;
  for (const auto& s : scores) {
    if (!s) continue;
    chunks += s->chunks.size();
    infer::append_pseudo_rows(*s, o.pseudo, table);
  }
  for (const core::ItemFailure& f : failures)
    fmt::print(stderr, "error: {}: {}\n", files[f.index].string(), f.message);
  CHORUS_CHECK_AS(IoError, failures.size() < files.size(), "no recording could be labelled");
  formats::write_pseudo_table(o.out, table);
  fmt::print(
      "{} recordings: {} labelled, {} failed; {} of {} chunks kept ({} below "
      "pseudo.min_confidence) → {}\n",
      files.size(), files.size() - failures.size(), failures.size(), table.rows.size(), chunks,
      chunks - table.rows.size(), o.out);
}

}  // namespace

void add_pseudo_command(CLI::App& app) {
  auto o = std::make_shared<PseudoOptions>();
  auto* command = add_subcommand(app, NetworkCommand::pseudo);
  o->scoring.add_to(*command, "[infer] [postprocess] [pseudo]", "pseudo.row_cap=0.75");
  command->add_option("--out", o->out, "Pseudo-label table to write (CSV)")->required();
  command->callback([o] { run_pseudo(*o); });
}

}  // namespace chorus::cli
