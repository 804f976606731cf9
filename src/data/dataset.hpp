#pragma once
// Training items from any labelled source: a file, a time span in it, a target (values, loss
// mask, sample weight) and a fold. What the sampler crops from and the trainer learns.

#include <filesystem>
#include <vector>

#include "data/data_config.hpp"
#include "data/dataset_dir.hpp"
#include "data/targets.hpp"
#include "formats/class_list.hpp"
#include "formats/raven_table.hpp"
#include "formats/rfcx_annotations.hpp"
#include "formats/species_names.hpp"

namespace chorus::data {

struct Item {
  std::size_t file = 0;      // index into Dataset::files
  double start_seconds = 0;  // the span of the file this item covers
  double end_seconds = 0;    // 0: to the end of the file
  double low_hz = 0;         // the annotated band (RFCX and Raven boxes), for the band filter;
  double high_hz = 0;        //   equal: none
  Target target;
  int fold = -1;                 // from the table's `fold` column; −1: never held out
  bool pseudo_labelled = false;  // a chunk of a pseudo-label table (data.pseudo_labels)
  // A clip's labels as class indices, primary first, then its secondary labels (what a teacher's
  // disagreement is judged against); empty for items not from a clip table.
  std::vector<std::size_t> labels;
};

struct Dataset {
  formats::ClassList classes{std::vector<std::string>{}, "(none)"};
  formats::SpeciesNames names;  // the classes' names from the folder's taxonomy (none: empty)
  std::vector<std::filesystem::path> files;
  std::vector<Item> items;

  // BirdCLEF clips: one item per clip, or with data.segment_seconds one per segment of it
  // (file durations are read from the headers, on `threads`).
  static Dataset from_clips(const DatasetDir& dataset, const formats::ClassList& classes,
                            const DataConfig& config, int threads = 1);

  // RFCX: one item per annotated box of train_tp/train_fp, covering the box; its target marks
  // the species annotated present (TP) or absent (FP) in any box overlapping it, every other
  // species masked (the masked-BCE set-up of the RFCX 1st/2nd places). Classes are the species
  // ids found, named by their decimal id. Audio is `audio_dir/<recording_id><extension>`.
  static Dataset from_rfcx(const formats::RfcxAnnotations& true_positives,
                           const formats::RfcxAnnotations& false_positives,
                           const std::filesystem::path& audio_dir, const std::string& extension);

  // The no-call recordings of data.nocall_dir: all-zero targets over every class, known (mask
  // 1), never held out (fold −1). Each recording becomes one item per `item_seconds` of it
  // (segment_spans; durations read from the headers on `threads`), so that a minute of
  // background weighs as the dozen training inputs it holds rather than as one clip.
  void add_nocall_recordings(const std::vector<std::filesystem::path>& recordings,
                             double item_seconds, int threads = 1);

  // A Raven selection table of one recording: one item per selection, covering its box; the
  // target is 1 for the labels of every selection overlapping it and 0 for the other classes
  // (an annotated recording is taken as exhaustively annotated). Selections whose label is not
  // a class are an error, or with `skip_unknown` left out (Raven tables often hold "unknown").
  // (`chorus train` on a Raven-annotated folder cuts clips instead: data/raven_dataset.hpp.)
  static Dataset from_raven(const formats::RavenTable& table,
                            const std::filesystem::path& audio_file,
                            const formats::ClassList& classes, bool skip_unknown);
};

// Seconds of each file, from its header (on `threads`).
std::vector<double> audio_durations(const std::vector<std::filesystem::path>& files, int threads);

// [start, end) spans of `segment` seconds covering a recording of `duration` seconds; a tail
// shorter than half a segment joins the segment before it. One span when segment ≤ 0 or the
// recording is shorter.
std::vector<std::pair<double, double>> segment_spans(double duration, double segment);

// "<folder>/<file name>": what identifies a recording wherever its dataset lies (fold digests,
// teacher tables written from another directory).
std::string recording_key(const std::filesystem::path& file);

// `samples` repeated from its start until `length` samples (short clips are padded cyclically,
// so a 2-second call fills a 5-second window with calls, not silence).
std::vector<float> cyclic_pad(std::span<const float> samples, std::size_t length);

}  // namespace chorus::data
