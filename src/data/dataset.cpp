#include "data/dataset.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "audio/audio_decoder.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "data/folds.hpp"
#include "formats/data_paths.hpp"

namespace chorus::data {
namespace {

int fold_of(const formats::ClipMetadata& metadata, const formats::ClipRecord& record) {
  const auto it = record.extra.find("fold");
  if (it == record.extra.end() || it->second.empty()) return -1;
  try {
    return std::stoi(it->second);
  } catch (const std::exception&) {
    throw FormatError(fmt::format("{}: column 'fold': '{}' is not an integer",
                                  metadata.where(record), it->second));
  }
}

}  // namespace

std::vector<double> audio_durations(const std::vector<std::filesystem::path>& files, int threads) {
  std::vector<double> durations(files.size(), 0.0);
  core::parallel_for(files.size(), threads, 16, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      durations[i] = audio::open_audio(files[i])->info().duration_seconds();
  });
  return durations;
}

std::vector<std::pair<double, double>> segment_spans(double duration, double segment) {
  if (segment <= 0 || duration <= segment) return {{0.0, duration}};
  std::vector<std::pair<double, double>> spans;
  for (double start = 0; start < duration; start += segment)
    spans.emplace_back(start, std::min(duration, start + segment));
  if (spans.size() > 1 && spans.back().second - spans.back().first < segment / 2) {
    spans[spans.size() - 2].second = spans.back().second;
    spans.pop_back();
  }
  return spans;
}

std::vector<float> cyclic_pad(std::span<const float> samples, std::size_t length) {
  CHORUS_CHECK(!samples.empty() || length == 0, "cannot pad an empty signal");
  std::vector<float> out(length);
  for (std::size_t i = 0; i < length; ++i) out[i] = samples[i % samples.size()];
  return out;
}

Dataset Dataset::from_clips(const DatasetDir& dir, const formats::ClassList& classes,
                            const DataConfig& config, int threads) {
  config.validate();
  Dataset d;
  d.classes = classes;
  d.files = dir.audio_files;
  const std::vector<double> durations =
      config.segment_seconds > 0 ? audio_durations(d.files, threads) : std::vector<double>{};
  // Every label must be a class (an error naming the file and line otherwise), but for the
  // secondary labels data.drop_unknown_secondary removes first.
  formats::ClipMetadata metadata = dir.metadata;
  if (config.drop_unknown_secondary) formats::drop_unknown_secondary_labels(metadata, classes);
  formats::check_labels_known(metadata, classes);
  const auto& records = metadata.records;
  for (std::size_t i = 0; i < records.size(); ++i) {
    Item item;
    item.file = i;
    item.target = clip_target(records[i], classes, config);
    item.fold = fold_of(metadata, records[i]);
    item.labels.push_back(classes.index(records[i].primary_label));
    for (const std::string& label : records[i].secondary_labels)
      item.labels.push_back(classes.index(label));
    if (config.segment_seconds <= 0) {
      d.items.push_back(std::move(item));
      continue;
    }
    for (const auto& [start, end] : segment_spans(durations[i], config.segment_seconds)) {
      item.start_seconds = start;
      item.end_seconds = end;
      d.items.push_back(item);
    }
  }
  return d;
}

Dataset Dataset::from_rfcx(const formats::RfcxAnnotations& tp, const formats::RfcxAnnotations& fp,
                           const std::filesystem::path& audio_dir, const std::string& extension) {
  Dataset d;
  std::set<int> species;
  for (const auto* table : {&tp, &fp})
    for (const auto& a : table->annotations) species.insert(a.species_id);
  std::vector<std::string> names;
  for (int s : species) names.push_back(std::to_string(s));
  d.classes = formats::ClassList(names, tp.path);

  std::map<std::string, std::size_t> file_index;
  std::map<std::string, std::vector<const formats::RfcxAnnotation*>> by_recording;
  for (const auto* table : {&tp, &fp})
    for (const auto& a : table->annotations) {
      by_recording[a.recording_id].push_back(&a);
      if (file_index.try_emplace(a.recording_id, d.files.size()).second)
        d.files.push_back(formats::resolve_data_path(audio_dir, a.recording_id + extension,
                                                     fmt::format("{}:{}", table->path, a.line)));
    }
  for (const auto* table : {&tp, &fp}) {
    for (const auto& a : table->annotations) {
      std::vector<std::size_t> present, absent;
      for (const formats::RfcxAnnotation* other : by_recording[a.recording_id]) {
        const bool overlaps = other->box.begin_s < a.box.end_s && a.box.begin_s < other->box.end_s;
        if (!overlaps) continue;
        (other->positive ? present : absent)
            .push_back(d.classes.index(std::to_string(other->species_id)));
      }
      Item item;
      item.file = file_index.at(a.recording_id);
      item.start_seconds = a.box.begin_s;
      item.end_seconds = a.box.end_s;
      item.low_hz = a.box.low_hz;
      item.high_hz = a.box.high_hz;
      item.target = presence_target(present, absent, d.classes.size());
      d.items.push_back(std::move(item));
    }
  }
  return d;
}

Dataset Dataset::from_raven(const formats::RavenTable& table,
                            const std::filesystem::path& audio_file,
                            const formats::ClassList& classes, bool skip_unknown) {
  Dataset d;
  d.classes = classes;
  d.files = {audio_file};
  for (const formats::RavenSelection& s : table.selections) {
    const auto index = classes.find(s.label);
    if (!index && skip_unknown) continue;
    CHORUS_CHECK_AS(FormatError, index.has_value(),
                    "{}:{}: label '{}' is not a class ({} classes from {})", table.path, s.line,
                    s.label, classes.size(), classes.source());
    std::vector<std::size_t> present;
    const formats::TimeFrequencyBox box = s.box_in_file();
    for (const formats::RavenSelection& other : table.selections) {
      const formats::TimeFrequencyBox o = other.box_in_file();
      const auto other_index = classes.find(other.label);
      if (other_index && o.begin_s < box.end_s && box.begin_s < o.end_s)
        present.push_back(*other_index);
    }
    Item item;
    item.start_seconds = box.begin_s;
    item.end_seconds = box.end_s;
    item.low_hz = box.low_hz;
    item.high_hz = box.high_hz;
    item.target = Target{std::vector<float>(classes.size(), 0.0f),
                         std::vector<float>(classes.size(), 1.0f), 1.0f};
    for (std::size_t c : present) item.target.values[c] = 1.0f;
    d.items.push_back(std::move(item));
  }
  return d;
}

void Dataset::add_nocall_recordings(const std::vector<std::filesystem::path>& recordings,
                                    double item_seconds, int threads) {
  const std::vector<double> durations = audio_durations(recordings, threads);
  for (std::size_t r = 0; r < recordings.size(); ++r) {
    Item item;
    item.file = files.size();
    item.target.values.assign(classes.size(), 0.0f);
    item.target.mask.assign(classes.size(), 1.0f);
    item.fold = kAlwaysTrain;
    files.push_back(recordings[r]);
    for (const auto& [start, end] : segment_spans(durations[r], item_seconds)) {
      item.start_seconds = start;
      item.end_seconds = end;
      items.push_back(item);
    }
  }
}

std::string recording_key(const std::filesystem::path& file) {
  return (file.parent_path().filename() / file.filename()).generic_string();
}

}  // namespace chorus::data
