#include "infer/prediction_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "audio/audio_files.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "features/recording_source.hpp"
#include "formats/csv_table.hpp"
#include "infer/run_folder.hpp"

namespace chorus::infer {
namespace {

namespace fs = std::filesystem;

// The channels of `file` (1 when its header cannot be read: scoring it will report why).
int channel_count(const fs::path& file) {
  try {
    return audio::open_audio(file)->info().channels;
  } catch (const Error&) {
    return 1;
  }
}

// The recordings of the shard, each with its name in the run: the files (a shard holds whole
// files), and with infer.channel = all, each channel of a file with several as a recording
// named <name>_ch<k>.
std::vector<RunRecording> shard_recordings(const std::vector<fs::path>& all_files, Shard shard,
                                           ChannelSelection channels) {
  std::vector<fs::path> files = all_files;
  sort_canonically(files);
  const std::vector<std::string> names = recording_names(files);
  std::vector<RunRecording> named;
  for (std::size_t i = 0; i < files.size(); ++i) named.push_back({files[i], names[i], {}});
  // In the order of the names, which is the order of the row_ids `chorus merge` restores.
  std::stable_sort(named.begin(), named.end(),
                   [](const RunRecording& a, const RunRecording& b) { return a.name < b.name; });
  std::vector<RunRecording> mine;
  for (std::size_t i : shard_positions(named.size(), shard)) {
    RunRecording r = named[i];
    if (channels.kind == ChannelSelection::Kind::one) r.channel = channels.index;
    const int count = channels.kind == ChannelSelection::Kind::each ? channel_count(r.file) : 1;
    if (channels.kind == ChannelSelection::Kind::each && count == 1) r.channel = 0;
    if (count == 1) {
      mine.push_back(std::move(r));
      continue;
    }
    for (int c = 0; c < count; ++c)
      mine.push_back({r.file, fmt::format("{}_ch{}", r.name, c + 1), c});
  }
  return mine;
}

bool finished_before(const RunOptions& o, const RunRecording& r) {
  return o.resume && fs::exists(part_path(o.out_dir, r.name));
}

// The recording as its run names it: row_ids and file names from `name`.
void use_run_name(RecordingScores& r, const RunRecording& recording) {
  r.channel = recording.channel ? *recording.channel + 1 : 0;
  if (r.stem == recording.name) return;
  r.stem = recording.name;
  for (Chunk& c : r.chunks)
    c.row_id = row_id(recording.name, static_cast<double>(c.span.end) / r.sample_rate);
}

// Runs independent jobs (each with files of its own) on `threads` at once. When several fail (two
// damaged parts), the first in order is reported, as one thread would have: which finished
// first does not matter.
void run_jobs(const std::vector<std::function<void()>>& jobs, int threads) {
  std::vector<std::exception_ptr> failures(jobs.size());
  core::parallel_for(jobs.size(), threads, 1, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      try {
        jobs[i]();
      } catch (...) {
        failures[i] = std::current_exception();
      }
    }
  });
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

// The outputs of a run from its finished recordings: each file a job of its own, so that a run
// on several threads writes them at once (8 soundscapes with every class detected in every
// chunk, 34 000 detections: 0.31 s on one thread, 0.18 s on two).
void write_outputs(const std::vector<std::string>& classes, const formats::SpeciesNames& names,
                   const std::vector<RecordingScores>& recordings, const fs::path& out_dir,
                   const DetectionRules& rules, FrequencyBand band, int threads) {
  const std::vector<DetectionEvent> events = detection_events(recordings, rules);
  fs::create_directories(out_dir / "raven");
  fs::create_directories(out_dir / "audacity");
  std::vector<std::function<void()>> jobs = {
      [&] { write_submission(out_dir / "submission.csv", classes, recordings); },
      [&] { write_detections_csv(out_dir / "detections.csv", classes, recordings, events); },
      [&] { write_detections_json(out_dir / "detections.json", classes, recordings, events); },
      [&] { write_species_summary(out_dir / "species_summary.csv", classes, events); },
      [&] {
        write_kaleidoscope_csv(out_dir / "kaleidoscope.csv", classes, names, recordings, events);
      },
      [&] {
        write_raven_table(out_dir / "raven" / "all.selections.txt", classes, names, recordings,
                          events, band);
      }};
  // Each recording's events, as a run of that recording alone would have them (recording 0).
  std::vector<std::vector<DetectionEvent>> own(recordings.size());
  for (DetectionEvent e : events)
    own[e.recording].push_back({0, e.cls, e.start_seconds, e.end_seconds, e.score});
  for (std::size_t r = 0; r < recordings.size(); ++r)
    jobs.push_back([&, r] {
      // A name with folders (recordings sharing a stem) writes into those folders.
      const fs::path raven = out_dir / "raven" / (recordings[r].stem + ".selections.txt");
      const fs::path audacity = out_dir / "audacity" / (recordings[r].stem + ".txt");
      fs::create_directories(raven.parent_path());
      fs::create_directories(audacity.parent_path());
      write_raven_table(raven, classes, names, {recordings[r]}, own[r], band);
      write_audacity_labels(audacity, classes, own[r], 0);
    });
  run_jobs(jobs, threads);
}

// The recordings of the run that have a part, in order: those scored now as they are (`now`,
// moved from; their parts hold the same values: floats and doubles round-trip through the
// JSON's 17 digits), those an earlier run finished read back, on `threads` at once. Reading a
// part back cost 4 ms per 4-minute recording with 182 classes.
std::vector<RecordingScores> finished_recordings(const std::vector<RunRecording>& files,
                                                 std::vector<std::optional<RecordingScores>>& now,
                                                 const fs::path& out_dir, int threads) {
  std::vector<std::function<void()>> jobs;
  for (std::size_t i = 0; i < files.size(); ++i)
    if (!now[i])
      jobs.push_back([&, i] {
        const fs::path part = part_path(out_dir, files[i].name);
        if (fs::exists(part)) now[i] = load_part(part);
      });
  run_jobs(jobs, threads);
  std::vector<RecordingScores> finished;
  for (std::optional<RecordingScores>& r : now)
    if (r) finished.push_back(std::move(*r));
  return finished;
}

}  // namespace

std::vector<fs::path> prediction_inputs(const std::vector<fs::path>& inputs) {
  std::vector<fs::path> files = audio::collect_audio_files(inputs);
  sort_canonically(files);
  return files;
}

void save_part(const fs::path& path, const RecordingScores& r) {
  nlohmann::json j;
  j["path"] = r.path;
  j["stem"] = r.stem;
  if (r.channel > 0) j["channel"] = r.channel;
  j["sample_rate"] = r.sample_rate;
  j["duration_seconds"] = r.duration_seconds;
  j["classes"] = r.scores.cols;
  for (std::size_t i = 0; i < r.chunks.size(); ++i)
    j["chunks"].push_back(
        {{"row_id", r.chunks[i].row_id},
         {"begin", r.chunks[i].span.begin},
         {"end", r.chunks[i].span.end},
         {"scores", std::vector<float>(r.scores.row(i).begin(), r.scores.row(i).end())}});
  if (!r.frames.empty()) {
    j["frame_step_seconds"] = r.frames.step_seconds;
    j["frames"] = nlohmann::json::array();
    for (std::size_t i = 0; i < r.frames.scores.rows; ++i)
      j["frames"].push_back(
          std::vector<float>(r.frames.scores.row(i).begin(), r.frames.scores.row(i).end()));
  }
  core::write_file_atomically(path, j.dump());
}

RecordingScores load_part(const fs::path& path) {
  RecordingScores r;
  std::ifstream in(path);
  CHORUS_CHECK_AS(IoError, in.good(), "{}: cannot open", path.string());
  nlohmann::json j;
  try {
    in >> j;
    r.path = j.at("path");
    r.stem = j.at("stem");
    r.channel = j.value("channel", 0);
    r.sample_rate = j.at("sample_rate");
    r.duration_seconds = j.at("duration_seconds");
    const std::size_t classes = j.at("classes");
    // One row of scores into `row`, checked against the class count.
    const auto read_row = [&](const nlohmann::json& cell, const char* what, std::size_t i,
                              std::span<float> row) {
      const std::vector<float> scores = cell;
      CHORUS_CHECK_AS(FormatError, scores.size() == classes,
                      "{}: {} {} has {} scores for {} classes", path.string(), what, i,
                      scores.size(), classes);
      std::copy(scores.begin(), scores.end(), row.begin());
    };
    const auto& chunks = j.at("chunks");
    r.scores = ScoreMatrix(chunks.size(), classes);
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      Chunk c;
      c.row_id = chunks[i].at("row_id");
      c.span = {chunks[i].at("begin"), chunks[i].at("end")};
      read_row(chunks[i].at("scores"), "chunk", i, r.scores.row(i));
      r.chunks.push_back(std::move(c));
    }
    if (j.contains("frames")) {
      const auto& frames = j.at("frames");
      r.frames.step_seconds = j.at("frame_step_seconds");
      CHORUS_CHECK_AS(FormatError, r.frames.step_seconds > 0, "{}: frame_step_seconds must be > 0",
                      path.string());
      r.frames.scores = ScoreMatrix(frames.size(), classes);
      for (std::size_t i = 0; i < frames.size(); ++i)
        read_row(frames[i], "frame", i, r.frames.scores.row(i));
    }
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: damaged prediction part ({})", path.string(), e.what()));
  }
  return r;
}

std::vector<RunRecording> pending_recordings(const std::vector<fs::path>& files,
                                             const RunOptions& o) {
  std::vector<RunRecording> pending;
  for (RunRecording& r : shard_recordings(files, o.shard, o.channels))
    if (!finished_before(o, r)) pending.push_back(std::move(r));
  return pending;
}

RunSummary run_prediction(const Predictor& predictor, const std::vector<fs::path>& all_files,
                          const RunOptions& o,
                          const std::function<void(const FinishedRecording&)>& on_done,
                          const std::function<void(const std::string&, double)>& on_scored) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<RunRecording> files = shard_recordings(all_files, o.shard, o.channels);
  take_over_run_folder(o.out_dir, o.manifest, o.resume);
  RunSummary summary;
  summary.recordings = files.size();
  std::vector<char> done(files.size(), 0);
  for (std::size_t i = 0; i < files.size(); ++i) done[i] = finished_before(o, files[i]);
  summary.resumed = static_cast<std::size_t>(std::count(done.begin(), done.end(), 1));
  std::atomic<double> seconds{0};
  std::atomic<std::size_t> windows{0}, network_calls{0};
  std::atomic<bool> stop{false};
  std::vector<std::optional<RecordingScores>> scored_now(files.size());
  const auto failures = core::parallel_for_each_item(files.size(), o.workers, [&](std::size_t i) {
    if (done[i] || stop) return;
    const auto item_start = std::chrono::steady_clock::now();
    FinishedRecording finished{.file = files[i].file, .name = files[i].name};
    try {
      ScoredSeconds scored;
      if (on_scored) scored = [&](double seconds) { on_scored(files[i].name, seconds); };
      features::AudioFileSource source(files[i].file, files[i].channel);
      RecordingScores r = predictor.predict(source, &finished.timings, scored);
      use_run_name(r, files[i]);
      const fs::path part = part_path(o.out_dir, files[i].name);
      fs::create_directories(part.parent_path());
      save_part(part, r);
      seconds.fetch_add(r.duration_seconds);
      windows.fetch_add(finished.timings.windows);
      network_calls.fetch_add(finished.timings.network_calls);
      finished.audio_seconds = r.duration_seconds;
      scored_now[i] = std::move(r);
    } catch (const Error&) {
      if (o.fail_fast) stop = true;
      if (on_done) on_done({.file = files[i].file, .name = files[i].name, .failed = true});
      throw;
    }
    finished.worker_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - item_start).count();
    if (on_done) on_done(finished);
  });
  std::vector<std::vector<std::string>> error_rows;
  for (const auto& f : failures) error_rows.push_back({files[f.index].file.string(), f.message});
  formats::write_csv(o.out_dir / "errors.csv", {"recording", "error"}, error_rows);
  CHORUS_CHECK_AS(FormatError, !(o.fail_fast && !failures.empty()), "{} (stopped: --fail-fast)",
                  failures.empty() ? "" : failures.front().message);
  summary.failed = failures.size();
  summary.predicted = files.size() - summary.resumed - summary.failed;
  std::vector<RecordingScores> finished =
      finished_recordings(files, scored_now, o.out_dir, o.workers);
  std::vector<std::string> classes = predictor.classes();
  formats::SpeciesNames names = o.names;
  if (!o.output_classes.empty()) {
    std::vector<std::string> kept;
    formats::SpeciesNames kept_names;
    for (std::size_t c : o.output_classes) {
      kept.push_back(classes[c]);
      if (names.empty()) continue;
      kept_names.scientific.push_back(names.scientific[c]);
      kept_names.common.push_back(names.common[c]);
    }
    classes = std::move(kept);
    names = std::move(kept_names);
    for (RecordingScores& r : finished) r = with_classes(r, o.output_classes);
  }
  write_outputs(classes, names, finished, o.out_dir, o.detections, o.band, o.workers);
  summary.audio_seconds = seconds;
  summary.windows = windows;
  summary.network_calls = network_calls;
  summary.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace chorus::infer
