#include "data/raven_dataset.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "audio/audio_files.hpp"
#include "core/error.hpp"
#include "formats/raven_truth.hpp"

namespace chorus::data {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> raven_tables(const fs::path& dir) {
  std::vector<fs::path> tables;
  if (!fs::is_directory(dir)) return tables;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".txt" &&
        formats::looks_like_raven(entry.path()))
      tables.push_back(entry.path());
  std::sort(tables.begin(), tables.end());
  return tables;
}

// A selection's box and label, on the audio file (an index into the folder's files) it names.
struct Box {
  std::size_t file = 0;
  formats::TimeFrequencyBox box;
  std::string label;
};

// The audio file `recording` names among `names` (paths below the folder without extension).
std::size_t audio_file_named(const std::string& recording, const std::vector<std::string>& names,
                             const fs::path& table, int line) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == recording) return i;
    if (names[i].ends_with("/" + recording) || recording.ends_with("/" + names[i]))
      found.push_back(i);
  }
  const std::string where =
      fmt::format("{}:{}: the selection's recording '{}'", table.string(), line, recording);
  CHORUS_CHECK_AS(FormatError, !found.empty(), "{} is none of the audio files beside the tables",
                  where);
  std::vector<std::string> candidates;
  for (std::size_t i : found) candidates.push_back(names[i]);
  CHORUS_CHECK_AS(FormatError, found.size() == 1,
                  "{} could be any of {}: name its file in a Begin Path column", where,
                  fmt::join(candidates, ", "));
  return found.front();
}

formats::ClassList classes_of(const fs::path& dir, const std::vector<Box>& boxes) {
  if (fs::exists(dir / "taxonomy.csv"))
    return formats::ClassList::from_taxonomy(dir / "taxonomy.csv");
  std::set<std::string> labels;
  for (const Box& b : boxes) labels.insert(b.label);
  return formats::ClassList(std::vector<std::string>(labels.begin(), labels.end()),
                            "the labels of the Raven tables in " + dir.string());
}

}  // namespace

bool has_raven_tables(const fs::path& dir) { return !raven_tables(dir).empty(); }

RavenDataset open_raven_dataset(const fs::path& dir, const DataConfig& config, int threads) {
  RavenDataset out;
  std::vector<fs::path> audio = audio::collect_audio_files({dir});
  std::sort(audio.begin(), audio.end());
  std::vector<std::string> names;
  for (const fs::path& file : audio)
    names.push_back(file.lexically_relative(dir).replace_extension().generic_string());

  std::vector<Box> boxes;
  std::set<std::size_t> annotated;
  for (const fs::path& path : raven_tables(dir)) {
    const formats::RavenTable table = formats::RavenTable::read(path);
    ++out.tables;
    if (table.selections.empty()) {  // a recording annotated as holding no call
      annotated.insert(audio_file_named(
          formats::selection_recording(formats::RavenSelection{}, path, dir), names, path, 1));
      continue;
    }
    for (const formats::RavenSelection& s : table.selections) {
      const std::size_t file =
          audio_file_named(formats::selection_recording(s, path, dir), names, path, s.line);
      annotated.insert(file);
      boxes.push_back({file, s.box_in_file(), s.label});
    }
  }
  CHORUS_CHECK_AS(FormatError, out.tables > 0, "{}: no Raven selection tables below it",
                  dir.string());

  Dataset& d = out.dataset;
  d.classes = classes_of(dir, boxes);
  if (fs::exists(dir / "taxonomy.csv"))
    d.names = formats::SpeciesNames::from_taxonomy(d.classes, dir / "taxonomy.csv");
  // The boxes that label a class, by the audio file they lie on.
  struct ClassBox {
    formats::TimeFrequencyBox box;
    std::size_t cls = 0;
  };
  std::vector<std::vector<ClassBox>> boxes_of(audio.size());
  for (const Box& b : boxes) {
    if (const auto cls = d.classes.find(b.label)) {
      boxes_of[b.file].push_back({b.box, *cls});
      ++out.selections;
    } else {
      ++out.left_out[b.label];
    }
  }
  for (std::size_t file : annotated) d.files.push_back(audio[file]);  // in name order
  const std::vector<double> durations = audio_durations(d.files, threads);
  std::size_t k = 0;
  for (std::size_t file : annotated) {
    for (const auto& [start, end] : segment_spans(durations[k], config.window_seconds)) {
      Item item;
      item.file = k;
      item.start_seconds = start;
      item.end_seconds = end;
      item.target = Target{std::vector<float>(d.classes.size(), 0.0f),
                           std::vector<float>(d.classes.size(), 1.0f), 1.0f};
      item.fold = static_cast<int>(k % kRavenFolds);
      for (const ClassBox& b : boxes_of[file])
        if (formats::box_labels_span(b.box, start, end)) item.target.values[b.cls] = 1.0f;
      d.items.push_back(std::move(item));
    }
    ++k;
  }
  return out;
}

}  // namespace chorus::data
