#pragma once
// Where a recording's prediction rows come from. All positions are in samples at the model's
// rate, so lengths that are exact multiples of the chunk stay exact (no float drift).
//   - chunks: [k·H, k·H + C) with the hop H = C − infer.overlap_seconds, for every k with
//     k·H < length, less a last chunk holding under infer.min_last_chunk_seconds of the file
//     (at least one chunk: a 3-second file has one, ending at second 5; a 12-second file has
//     chunks ending at 5, 10 and 15; a 10.2-second file two);
//   - windows: what each chunk is scored from: in context mode one window of W samples centred on
//     the chunk; in sliding and sed modes every window of the regular grid that overlaps the
//     chunk (sed pools those windows' output frames that fall inside the chunk).
//     Windows may reach past the file's edges; those samples are zeros.

#include <cstdint>
#include <string>
#include <vector>

#include "infer/infer_config.hpp"

namespace chorus::infer {

struct SampleSpan {
  std::int64_t begin = 0;  // may be negative (before the file)
  std::int64_t end = 0;    // may exceed the file's length
};

struct Chunk {
  SampleSpan span;                   // the chunk itself (clipped to nothing: it may pass the end)
  std::string row_id;                // <name>_<end second> (see run_folder.hpp)
  std::vector<std::size_t> windows;  // indices into ChunkPlan::windows
};

struct ChunkPlan {
  std::vector<Chunk> chunks;
  std::vector<SampleSpan> windows;  // each scored once, shared by the chunks that use it
};

ChunkPlan plan_chunks(const std::string& stem, std::int64_t length_samples, int sample_rate,
                      const InferConfig& config);

// "<name>_<end>": the end second without a fraction when it is whole (BirdCLEF), else with the
// shortest exact decimal.
std::string row_id(const std::string& stem, double end_seconds);

}  // namespace chorus::infer
