#include "infer/infer_config.hpp"

#include "core/error.hpp"

namespace chorus::infer {

void InferConfig::register_fields(core::ConfigFields& f) {
  f.add("chunk_seconds", &chunk_seconds,
        "seconds per prediction row (row_id = <stem>_<end second>)");
  f.add("mode", &mode,
        "context: a centred window per chunk; sliding: overlapping windows; sed: a SED model's "
        "frames pooled per chunk");
  f.add("context_seconds", &context_seconds,
        "seconds of the window each chunk is scored from (mode = context)");
  f.add("window_seconds", &window_seconds, "seconds per window (mode = sliding or sed)");
  f.add("hop_seconds", &hop_seconds, "seconds between windows (mode = sliding or sed)");
  f.add("aggregate", &aggregate,
        "how a chunk pools its windows (mode = sliding) or the frames inside it of all its windows "
        "(mode = sed)");
  f.add("batch_size", &batch_size, "windows per forward pass of a model");
  f.add("per_window_spectrogram", &per_window_spectrogram,
        "compute each window's log-mel on its own instead of slicing the file's spectrogram");
}

void InferConfig::validate() const {
  CHORUS_CHECK_AS(ConfigError, chunk_seconds > 0, "infer.chunk_seconds = {}: expected > 0",
                  chunk_seconds);
  CHORUS_CHECK_AS(ConfigError, context_seconds >= chunk_seconds,
                  "infer.context_seconds = {}: expected ≥ chunk_seconds ({})", context_seconds,
                  chunk_seconds);
  CHORUS_CHECK_AS(ConfigError, batch_size >= 1, "infer.batch_size = {}: expected ≥ 1", batch_size);
  CHORUS_CHECK_AS(ConfigError, window_seconds > 0 && hop_seconds > 0,
                  "infer.window_seconds / hop_seconds must be > 0 (got {} / {})", window_seconds,
                  hop_seconds);
  // A hop longer than the window leaves stretches of audio no window sees.
  CHORUS_CHECK_AS(ConfigError, mode == InferMode::context || hop_seconds <= window_seconds,
                  "infer.hop_seconds = {}: expected ≤ window_seconds ({}) in mode = {}, else "
                  "windows leave gaps",
                  hop_seconds, window_seconds, core::enum_name(mode));
}

}  // namespace chorus::infer
