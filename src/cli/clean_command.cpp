// chorus clean DATASET_DIR --out REPORT_DIR: finds exact and near duplicates and ranks clips by
// T = std + var + rms + pwr; writes REPORT_DIR/clean_report.csv (every clip, its statistics and
// verdict) and REPORT_DIR/train_metadata.csv (the input table without the dropped clips).
// Never modifies its inputs. Clips that cannot be decoded are reported and dropped.

#include <fmt/format.h>

#include <memory>

#include "audio/waveform.hpp"
#include "cli/commands.hpp"
#include "cli/pipeline_options.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "data/cleaning.hpp"
#include "data/dataset_dir.hpp"
#include "formats/csv_table.hpp"

namespace chorus::cli {
namespace {

struct CleanOptions {
  std::string dataset;
  std::string out;
  data::CleaningOptions cleaning;
  PipelineOptions pipeline;
};

std::vector<std::string> report_row(const formats::ClipRecord& record,
                                    const data::RecordingProfile& p, const data::CleaningVerdict& v,
                                    const std::vector<formats::ClipRecord>& records) {
  const auto g = [](double x) { return fmt::format("{:.6g}", x); };
  return {record.filename,
          g(p.duration_seconds),
          g(p.stats.stddev),
          g(p.stats.variance),
          g(p.stats.rms),
          g(p.stats.power),
          g(p.t_score),
          v.keep ? "1" : "0",
          v.duplicate_of ? records[*v.duplicate_of].filename : "",
          v.duplicate_of ? g(v.similarity) : "",
          v.reason};
}

void run_clean(CleanOptions& o) {
  o.pipeline.resolve();
  const data::DatasetDir dataset = data::DatasetDir::open(o.dataset);
  std::filesystem::create_directories(o.out);
  CHORUS_CHECK(!std::filesystem::equivalent(o.out, o.dataset),
               "--out {} is the dataset directory: clean never modifies its inputs", o.out);
  const std::size_t n = dataset.audio_files.size();
  std::vector<data::RecordingProfile> profiles(n);
  core::Progress progress("clean", n, "files");
  const auto failures = core::parallel_for_each_item(n, o.pipeline.threads, [&](std::size_t i) {
    profiles[i] = data::profile_recording(dataset.audio_files[i], o.pipeline.audio);
    progress.advance();
  });
  progress.finish();

  // Unreadable clips take no part in the duplicate and T decisions.
  std::vector<bool> readable(n, true);
  for (const auto& f : failures) readable[f.index] = false;
  std::vector<std::size_t> judged;
  std::vector<data::RecordingProfile> judged_profiles;
  for (std::size_t i = 0; i < n; ++i)
    if (readable[i]) {
      judged.push_back(i);
      judged_profiles.push_back(profiles[i]);
    }
  // Near-duplicate candidates are confirmed on their waveforms, decoded again at a low rate.
  audio::AudioConfig low_rate = o.pipeline.audio;
  low_rate.sample_rate = data::kDuplicateCheckRate;
  const auto load = [&](std::size_t j) {
    const audio::Waveform wave = audio::load_audio(dataset.audio_files[judged[j]], low_rate);
    return std::vector<float>(wave.samples.begin(), wave.samples.end());
  };
  const auto judged_verdicts = data::judge_recordings(judged_profiles, o.cleaning, load);
  std::vector<data::CleaningVerdict> verdicts(n);
  for (std::size_t j = 0; j < judged.size(); ++j) {
    verdicts[judged[j]] = judged_verdicts[j];
    if (judged_verdicts[j].duplicate_of)
      verdicts[judged[j]].duplicate_of = judged[*judged_verdicts[j].duplicate_of];
  }
  for (const auto& f : failures) {
    verdicts[f.index].keep = false;
    verdicts[f.index].reason = "cannot decode: " + f.message;
    fmt::print(stderr, "warning: {}\n", f.message);
  }

  const auto& records = dataset.metadata.records;
  std::vector<std::vector<std::string>> report;
  for (std::size_t i = 0; i < n; ++i)
    report.push_back(report_row(records[i], profiles[i], verdicts[i], records));
  const std::filesystem::path out(o.out);
  formats::write_csv(out / "clean_report.csv",
                     {"filename", "duration_s", "std", "var", "rms", "pwr", "T", "keep",
                      "duplicate_of", "similarity", "reason"},
                     report);

  const formats::CsvTable table = formats::CsvTable::read(dataset.metadata_path);
  std::vector<std::vector<std::string>> kept;
  std::size_t duplicates = 0, loud = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (verdicts[i].duplicate_of)
      ++duplicates;
    else if (!verdicts[i].keep && readable[i])
      ++loud;
    if (!verdicts[i].keep) continue;
    std::vector<std::string> row;
    for (std::size_t c = 0; c < table.header().size(); ++c) row.push_back(table.at(i, c));
    kept.push_back(std::move(row));
  }
  formats::write_csv(out / "train_metadata.csv", table.header(), kept);
  fmt::print("{} clips: kept {}, dropped {} duplicates, {} above the T quantile, {} unreadable\n",
             n, kept.size(), duplicates, loud, failures.size());
  fmt::print("wrote {} and {}\n", (out / "clean_report.csv").string(),
             (out / "train_metadata.csv").string());
}

}  // namespace

void add_clean_command(CLI::App& app) {
  auto o = std::make_shared<CleanOptions>();
  auto* command = app.add_subcommand(
      "clean", "Find duplicate and loud/noisy clips; write a report and a filtered metadata table");
  command
      ->add_option("dataset", o->dataset, "Dataset directory (train_metadata.csv and train_audio/)")
      ->required();
  command->add_option("--out", o->out, "Report directory (created)")->required();
  command
      ->add_option("--keep-quantile", o->cleaning.keep_quantile,
                   "Keep clips with T at or below this quantile of T (1 keeps all)")
      ->capture_default_str();
  command
      ->add_option("--similarity", o->cleaning.near_duplicate_similarity,
                   "Waveform correlation from which two clips are near duplicates")
      ->capture_default_str();
  o->pipeline.add_to(*command);
  command->callback([o] { run_clean(*o); });
}

}  // namespace chorus::cli
