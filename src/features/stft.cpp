#include "features/stft.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numbers>

#include "core/error.hpp"
#include "features/fftw_planner.hpp"

namespace chorus::features {

std::mutex& fftw_planner_mutex() {
  static std::mutex mutex;
  return mutex;
}

struct StftFrames::Fft {
  int n;
  float* input;
  fftwf_complex* output;
  fftwf_plan plan;
  explicit Fft(int n_fft) : n(n_fft) {
    input = fftwf_alloc_real(n);
    output = fftwf_alloc_complex(n / 2 + 1);
    std::lock_guard lock(fftw_planner_mutex());
    // FFTW_ESTIMATE, not FFTW_MEASURE: measuring picks the algorithm by timing, so two runs
    // (or two processes) could round differently; features must be reproducible bit for bit.
    plan = fftwf_plan_dft_r2c_1d(n, input, output, FFTW_ESTIMATE);
    CHORUS_DCHECK(plan != nullptr);
  }
  ~Fft() {
    {
      std::lock_guard lock(fftw_planner_mutex());
      fftwf_destroy_plan(plan);
    }
    fftwf_free(input);
    fftwf_free(output);
  }
};

std::int64_t stft_frame_count(std::int64_t samples, const StftSettings& s) {
  const std::int64_t padded = samples + 2 * s.pad();
  if (padded < s.n_fft) return 0;
  return 1 + (padded - s.n_fft) / s.hop_length;
}

std::int64_t reflect_index(std::int64_t index, std::int64_t length) {
  if (length == 1) return 0;
  const std::int64_t period = 2 * (length - 1);
  index %= period;
  if (index < 0) index += period;
  return index < length ? index : period - index;
}

StftFrames::StftFrames(const StftSettings& settings)
    : settings_(settings),
      window_(settings.n_fft, 0.0f),
      fft_(std::make_unique<Fft>(settings.n_fft)) {
  // torch.hann_window(win_length, periodic=True), zero-padded to n_fft and centred as torch.stft
  // does.
  const int offset = (settings.n_fft - settings.win_length) / 2;
  for (int i = 0; i < settings.win_length; ++i)
    window_[offset + i] =
        static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / settings.win_length));
}

StftFrames::~StftFrames() = default;

void StftFrames::compute(std::span<const float> part, std::int64_t offset, std::int64_t length,
                         std::int64_t frame, float* out, std::size_t stride) {
  const int n = settings_.n_fft;
  const std::int64_t start = settings_.frame_start(frame);
  float* in = fft_->input;
  if (start >= offset && start + n <= offset + static_cast<std::int64_t>(part.size()) &&
      start + n <= length) {
    const float* x = part.data() + (start - offset);
    for (int i = 0; i < n; ++i) in[i] = x[i] * window_[i];
  } else {
    for (int i = 0; i < n; ++i) {
      std::int64_t j = start + i;
      if (j < 0 || j >= length) {
        if (settings_.pad_mode == PadMode::constant || length == 0) {
          in[i] = 0.0f;
          continue;
        }
        j = reflect_index(j, length);
      }
      CHORUS_DCHECK(j >= offset && j - offset < static_cast<std::int64_t>(part.size()));
      in[i] = part[static_cast<std::size_t>(j - offset)] * window_[i];
    }
  }
  fftwf_execute_dft_r2c(fft_->plan, in, fft_->output);
  const fftwf_complex* X = fft_->output;
  const int n_freqs = n / 2 + 1;
  if (settings_.power == 2.0) {
    for (int k = 0; k < n_freqs; ++k) out[k * stride] = X[k][0] * X[k][0] + X[k][1] * X[k][1];
  } else {
    for (int k = 0; k < n_freqs; ++k)
      out[k * stride] = std::sqrt(X[k][0] * X[k][0] + X[k][1] * X[k][1]);
  }
}

}  // namespace chorus::features
