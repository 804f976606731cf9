#pragma once
// What a truth file says about each row, in class names, before it meets a submission's
// columns: the one shape every truth format of `chorus eval` is brought to (soundscape labels,
// BirdCLEF clip metadata, RFCX true and false positives), so that alignment and the metrics
// have a single code path whatever the format.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "formats/clip_metadata.hpp"
#include "formats/rfcx_annotations.hpp"
#include "formats/soundscape_labels.hpp"

namespace chorus::formats {

// How to read a class that a row does not mention.
enum class UnlistedClasses {
  absent,   // fully labelled (soundscape labels, clip metadata): the class is not there
  unknown,  // partially labelled (RFCX): nobody checked, so no metric may score the cell
};

// A class the truth says is present in a row, and the line saying so (for messages about it).
struct ClassMention {
  std::string name;
  int line = 0;
};

struct TruthRow {
  std::string id;
  std::vector<ClassMention> present;  // each class once, at its first mention
  std::vector<std::string> absent;    // confirmed absent: each once, none of them also present
};

struct TruthLabels {
  std::string path;  // the file the mentions' lines refer to
  UnlistedClasses unlisted = UnlistedClasses::absent;
  std::vector<TruthRow> rows;  // unique ids, in file order
};

// Every chunk with its labels; unlisted classes are absent.
TruthLabels truth_from_soundscape_labels(const SoundscapeLabels& labels);

// One row per clip, keyed by clip_row_id(filename), holding its primary and secondary labels;
// unlisted classes are absent. A FormatError naming both lines when two filenames give one row
// id (`a/x.ogg` and `a/x.wav`): their scores could not be told apart.
TruthLabels truth_from_clip_metadata(const ClipMetadata& metadata);

// A clip's row id: its filename without the extension, directories kept (`amecro/XC12345.ogg`
// is `amecro/XC12345`), the name a clip-level submission can write without knowing the format.
std::string clip_row_id(std::string_view filename);

// One row per recording of either table, keyed by recording_id, in order of first appearance
// (true positives first). A species with a true-positive box anywhere in the recording is
// present, even where the template detector also fired on it; one with only false-positive
// boxes is absent; every other species is unknown. Classes are named rfcx_class_name(id).
// `false_positives` may be null (train_tp.csv alone: only presences are known).
TruthLabels truth_from_rfcx(const RfcxAnnotations& true_positives,
                            const RfcxAnnotations* false_positives);

// `s<species_id>`: the column Kaggle's RFCX sample submission gives the species.
std::string rfcx_class_name(int species_id);

}  // namespace chorus::formats
