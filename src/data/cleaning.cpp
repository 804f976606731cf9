#include "data/cleaning.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "data/waveform_match.hpp"

namespace chorus::data {
namespace {

void mark_duplicate(CleaningVerdict& v, std::size_t of, double similarity, bool exact) {
  v.keep = false;
  v.duplicate_of = of;
  v.similarity = similarity;
  v.reason =
      exact ? "exact duplicate" : fmt::format("near duplicate (similarity {:.3f})", similarity);
}

}  // namespace

double quantile(std::vector<double> values, double q) {
  CHORUS_CHECK(!values.empty(), "quantile of no values");
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (values[above] - values[below]) * (position - static_cast<double>(below));
}

std::vector<CleaningVerdict> judge_recordings(const std::vector<RecordingProfile>& profiles,
                                              const CleaningOptions& o,
                                              const WaveformLoader& load) {
  CHORUS_CHECK_AS(ConfigError, o.keep_quantile > 0 && o.keep_quantile <= 1,
                  "--keep-quantile {}: expected 0 < q ≤ 1", o.keep_quantile);
  const std::size_t n = profiles.size();
  std::vector<CleaningVerdict> verdicts(n);

  // Exact: identical decoded samples.
  std::unordered_map<std::string, std::size_t> first_with_hash;
  for (std::size_t i = 0; i < n; ++i) {
    const auto [it, inserted] = first_with_hash.try_emplace(profiles[i].samples_hash, i);
    if (!inserted) mark_duplicate(verdicts[i], it->second, 1.0, true);
  }

  // Near: similar fingerprints among recordings of about the same length (sorting by length
  // limits the comparisons to a sliding window), confirmed on the waveforms.
  std::vector<std::size_t> by_length(n);
  std::iota(by_length.begin(), by_length.end(), 0);
  std::sort(by_length.begin(), by_length.end(), [&](std::size_t a, std::size_t b) {
    return profiles[a].duration_seconds < profiles[b].duration_seconds;
  });
  // Each recording is decoded at most once for the confirmations.
  std::unordered_map<std::size_t, std::vector<float>> waveforms;
  const auto waveform = [&](std::size_t i) -> const std::vector<float>& {
    auto it = waveforms.find(i);
    if (it == waveforms.end()) it = waveforms.emplace(i, load(i)).first;
    return it->second;
  };
  for (std::size_t x = 0; x < n; ++x) {
    const std::size_t i = by_length[x];
    for (std::size_t y = x + 1; y < n; ++y) {
      const std::size_t j = by_length[y];
      if (profiles[j].duration_seconds - profiles[i].duration_seconds >
          o.duration_tolerance_seconds)
        break;
      const std::size_t later = std::max(i, j), earlier = std::min(i, j);
      if (!verdicts[later].keep) continue;
      if (fingerprint_similarity(profiles[i].fingerprint, profiles[j].fingerprint) <
          o.candidate_similarity)
        continue;
      const double s = peak_cross_correlation(waveform(earlier), waveform(later), kMaxDuplicateLag);
      if (s >= o.near_duplicate_similarity) mark_duplicate(verdicts[later], earlier, s, false);
    }
  }

  // T quantile over the recordings still kept.
  std::vector<double> t;
  for (std::size_t i = 0; i < n; ++i)
    if (verdicts[i].keep) t.push_back(profiles[i].t_score);
  if (t.empty() || o.keep_quantile >= 1) return verdicts;
  const double limit = quantile(t, o.keep_quantile);
  for (std::size_t i = 0; i < n; ++i) {
    if (verdicts[i].keep && profiles[i].t_score > limit) {
      verdicts[i].keep = false;
      verdicts[i].reason = fmt::format("T = {:.4g} above the {:g} quantile ({:.4g})",
                                       profiles[i].t_score, o.keep_quantile, limit);
    }
  }
  return verdicts;
}

}  // namespace chorus::data
