// chorus segments DETECTIONS.csv --out DIR: audio clips of the best detections of each class,
// to listen to and verify them (infer/segments.hpp); as BirdNET-Analyzer's segments tool.

#include <fmt/format.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/number_checks.hpp"
#include "core/error.hpp"
#include "core/wording.hpp"
#include "formats/detections_table.hpp"
#include "infer/segments.hpp"

namespace chorus::cli {

void add_segments_command(CLI::App& app) {
  struct Options {
    std::string detections;
    std::string out;
    infer::SegmentOptions segments;
  };
  auto o = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "segments", "Cut the best detections of each class into audio clips to listen to");
  command
      ->add_option("detections", o->detections,
                   "detections.csv of chorus predict (recordings as written there)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--out", o->out, "Folder for the clips, one subfolder per class")->required();
  command
      ->add_option("--padding", o->segments.padding_seconds,
                   "Seconds of audio before and after each detection")
      ->check(non_negative_number())
      ->capture_default_str();
  command
      ->add_option("--max-per-species", o->segments.max_per_class,
                   "The highest-scoring detections of each class (0 = all)")
      ->check(non_negative_number())
      ->capture_default_str();
  command->add_option("--min-conf", o->segments.min_score, "Leave out detections scoring less, 0–1")
      ->check(fraction())
      ->capture_default_str();
  command->callback([o] {
    const auto chosen =
        infer::choose_segments(formats::read_detections_csv(o->detections), o->segments);
    const infer::SegmentReport report = infer::write_segments(chosen, o->out, o->segments);
    for (const auto& f : report.failures) fmt::print(stderr, "error: {}\n", f.message);
    fmt::print("{} of {} written to {} ({}/segments.csv lists them)\n",
               core::counted(report.written, "clip"), chosen.size(), o->out, o->out);
    CHORUS_CHECK_AS(IoError, report.written > 0 || chosen.empty(),
                    "no clip could be written ({} failed)", report.failures.size());
  });
}

}  // namespace chorus::cli
