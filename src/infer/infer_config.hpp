#pragma once
// [infer]: how recordings are cut into scored chunks.

#include <array>
#include <string>
#include <string_view>

#include "core/config_fields.hpp"
#include "core/enum_names.hpp"
#include "graph/precision.hpp"

namespace chorus::infer {

// How recordings are cut into scored windows (InferConfig::mode).
enum class InferMode { context, sliding, sed };
// How a chunk pools its windows' (or frames') scores.
enum class Aggregate { max, mean };

// Which channels of a recording are scored (InferConfig::channel): their mean, as every model
// is trained (`mix`); one of them (`2`: the second); or each as a recording of its own (`all`:
// a stereo recorder's two microphones, BirdNET-Analyzer's open request #144).
struct ChannelSelection {
  enum class Kind { mix, one, each };
  Kind kind = Kind::mix;
  int index = 0;  // Kind::one: the channel, from 0

  // "mix", "all" or a channel number from 1; ConfigError naming the key otherwise.
  static ChannelSelection parse(std::string_view text);
};

struct InferConfig {
  static constexpr std::string_view kSection = "infer";
  double chunk_seconds = 5.0;  // one prediction row per chunk; row_id = <name>_<end second>
  double overlap_seconds = 0;  // each chunk starts chunk − overlap after the previous one
  // A last chunk holding less of the recording than this is dropped: a 10.13 s file gets two
  // rows, not a third for 0.13 s (scored mostly from padding; its audio is still inside the
  // previous chunk's context window). A recording shorter than this keeps its one chunk.
  double min_last_chunk_seconds = 1.0;
  // context: each chunk is scored from a window of context_seconds centred on it (BirdCLEF 2024
  //   1st: 10 s = 2.5 s before, the chunk, 2.5 s after), zero-padded past the file's edges;
  // sliding: windows of window_seconds every hop_seconds, a chunk takes the max or mean of the
  //   windows overlapping it (RFCX style);
  // sed: the windows of sliding mode through a SED model; each window's output frames map
  //   linearly onto its time span, and a chunk takes the max or mean over the frames whose
  //   centres fall inside it, over all its windows.
  InferMode mode = InferMode::context;
  double context_seconds = 10.0;
  double window_seconds = 5.0;           // sliding and sed windows
  double hop_seconds = 2.5;              // sliding and sed windows (≤ window_seconds)
  Aggregate aggregate = Aggregate::max;  // sliding: over a chunk's windows; sed: over its frames
  int batch_size = 16;                   // windows per forward pass
  bool per_window_spectrogram = false;   // compute each window's log-mel on its own (as the
                                         // Python pipelines do) instead of slicing one spectrogram
  std::string channel = "mix";           // ChannelSelection::parse
  // The number format of the compiled networks (graph/precision.hpp): fp32, bf16, int8 (a
  // calibrated checkpoint), or auto (int8 for calibrated checkpoints on a CPU with VNNI, else
  // bf16 where native). A run resolves auto before it starts.
  graph::Precision precision = graph::Precision::fp32;

  void register_fields(core::ConfigFields& fields);
  void validate() const;
  ChannelSelection channels() const { return ChannelSelection::parse(channel); }
};

}  // namespace chorus::infer

template <>
struct chorus::core::EnumNames<chorus::infer::InferMode> {
  static constexpr std::array<std::string_view, 3> names{"context", "sliding", "sed"};
};
template <>
struct chorus::core::EnumNames<chorus::infer::Aggregate> {
  static constexpr std::array<std::string_view, 2> names{"max", "mean"};
};
