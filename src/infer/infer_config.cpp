#include "infer/infer_config.hpp"

#include <charconv>

#include "core/error.hpp"

namespace chorus::infer {
namespace {

// Bounds that keep the work and memory of a run in proportion to its audio. A model's window is
// a few seconds (BirdCLEF 5–20 s, BirdNET 3 s); windows much longer cost memory as a square of
// nothing useful (infer.context_seconds = 1e6 asked for terabytes), and chunks or hops of
// milliseconds multiply the forward passes per second of audio by thousands.
constexpr double kMinSeconds = 0.25;
constexpr double kMinHopSeconds = 0.1;
constexpr double kMaxWindowSeconds = 120;
constexpr double kMaxChunkSeconds = 3600;
constexpr double kMaxBatchSize = 1024;

}  // namespace

void InferConfig::register_fields(core::ConfigFields& f) {
  f.add("chunk_seconds", &chunk_seconds,
        "per prediction row (row_id = <name>_<end second>, docs/predict.md)")
      .unit("s")
      .within(kMinSeconds, kMaxChunkSeconds);
  f.add("overlap_seconds", &overlap_seconds,
        "shared by consecutive chunks (BirdNET-Analyzer's --overlap; less than chunk_seconds)")
      .unit("s")
      .at_least(0);
  f.add("min_last_chunk_seconds", &min_last_chunk_seconds,
        "a last chunk with less of the recording than this is dropped (a recording shorter than "
        "this keeps one chunk)")
      .unit("s")
      .at_least(0);
  f.add("mode", &mode,
        "context: a centred window per chunk; sliding: overlapping windows; sed: a SED model's "
        "frames pooled per chunk");
  f.add("context_seconds", &context_seconds,
        "of the window each chunk is scored from (mode = context; at least chunk_seconds)")
      .unit("s")
      .within(kMinSeconds, kMaxWindowSeconds);
  f.add("window_seconds", &window_seconds, "per window (mode = sliding or sed)")
      .unit("s")
      .within(kMinSeconds, kMaxWindowSeconds);
  f.add("hop_seconds", &hop_seconds,
        "between windows (mode = sliding or sed; at most window_seconds)")
      .unit("s")
      .within(kMinHopSeconds, kMaxWindowSeconds);
  f.add("aggregate", &aggregate,
        "how a chunk pools its windows (mode = sliding) or the frames inside it of all its windows "
        "(mode = sed)");
  f.add("batch_size", &batch_size,
        "windows per forward pass of a model, at most 64 in effect (a recording's windows are "
        "prepared 64 at a time); memory and speed: the scores are the same at any size (chorus "
        "predict's last line counts the calls)")
      .within(1, kMaxBatchSize);
  f.add("per_window_spectrogram", &per_window_spectrogram,
        "compute each window's log-mel on its own instead of slicing the file's spectrogram");
  f.add("channel", &channel,
        "channels of a recording scored: \"mix\" (their mean), a channel number from 1, or "
        "\"all\" (each its own recording, named <name>_ch<k>)");
  f.add("precision", &precision,
        "number format of the networks: fp32; bf16 (1.2–1.7× faster where the CPU has "
        "AVX512-BF16, more with AMX; probabilities within about 0.02: docs/predict.md); int8 "
        "(convolutions on 8-bit integers; needs a model calibrated by chorus calibrate; training "
        "validation then scores in fp32); auto "
        "(int8 when every model is calibrated, unless a model has depthwise convolutions and the "
        "CPU lacks VNNI or has bf16 natively; else bf16 where the CPU has it natively, else "
        "fp32)");
}

ChannelSelection ChannelSelection::parse(std::string_view text) {
  if (text == "mix") return {};
  if (text == "all") return {.kind = Kind::each, .index = 0};
  int number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  CHORUS_CHECK_AS(ConfigError, ec == std::errc() && end == text.data() + text.size() && number >= 1,
                  "infer.channel = \"{}\": expected \"mix\", \"all\" or a channel number from 1",
                  text);
  return {.kind = Kind::one, .index = number - 1};
}

void InferConfig::validate() const {
  core::check_declared(*this);
  static_cast<void>(channels());  // a ConfigError for a value that is none of the choices
  CHORUS_CHECK_AS(ConfigError, overlap_seconds < chunk_seconds,
                  "infer.overlap_seconds = {}: expected < chunk_seconds ({})", overlap_seconds,
                  chunk_seconds);
  CHORUS_CHECK_AS(ConfigError, context_seconds >= chunk_seconds,
                  "infer.context_seconds = {}: expected ≥ chunk_seconds ({})", context_seconds,
                  chunk_seconds);
  // A hop longer than the window leaves stretches of audio no window sees.
  CHORUS_CHECK_AS(ConfigError, mode == InferMode::context || hop_seconds <= window_seconds,
                  "infer.hop_seconds = {}: expected ≤ window_seconds ({}) in mode = {}, else "
                  "windows leave gaps",
                  hop_seconds, window_seconds, core::enum_name(mode));
}

}  // namespace chorus::infer
