#include "augment/time_stretch.hpp"

#include <fftw3.h>
#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <mutex>
#include <numbers>

#include "core/error.hpp"
#include "features/fftw_planner.hpp"

namespace chorus::augment {
namespace {

// librosa.effects.time_stretch's STFT defaults.
constexpr int kFft = 2048;
constexpr int kHop = kFft / 4;
constexpr int kBins = kFft / 2 + 1;

using Frames = std::vector<std::vector<std::complex<float>>>;  // [frame][bin], for the ISTFT

// One forward and one inverse real FFT of kFft points, with their buffers.
class RealFft {
 public:
  RealFft() : time_(fftwf_alloc_real(kFft)), freq_(fftwf_alloc_complex(kBins)) {
    std::lock_guard lock(features::fftw_planner_mutex());
    forward_ = fftwf_plan_dft_r2c_1d(kFft, time_, freq_, FFTW_ESTIMATE);
    inverse_ = fftwf_plan_dft_c2r_1d(kFft, freq_, time_, FFTW_ESTIMATE);
    CHORUS_DCHECK(forward_ != nullptr && inverse_ != nullptr);
  }
  ~RealFft() {
    {
      std::lock_guard lock(features::fftw_planner_mutex());
      fftwf_destroy_plan(forward_);
      fftwf_destroy_plan(inverse_);
    }
    fftwf_free(time_);
    fftwf_free(freq_);
  }
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  float* time() { return time_; }
  std::complex<float>* freq() { return reinterpret_cast<std::complex<float>*>(freq_); }
  void forward() { fftwf_execute(forward_); }
  // Unnormalised, as FFTW's: the caller divides by kFft (numpy's irfft does).
  void inverse() { fftwf_execute(inverse_); }

 private:
  float* time_;
  fftwf_complex* freq_;
  fftwf_plan forward_, inverse_;
};

// scipy.signal.get_window("hann", n, fftbins=True): the periodic Hann window.
std::vector<float> hann() {
  std::vector<float> w(kFft);
  for (int i = 0; i < kFft; ++i)
    w[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / kFft));
  return w;
}

// One STFT frame in polar form: the phase vocoder reads each frame's magnitudes and phases twice
// (as the left and as the right neighbour), so they are computed once here.
struct PolarFrame {
  std::vector<float> magnitude, phase;
};

// librosa.stft(center=True, pad_mode="constant"): frame t is centred on sample t·hop, zeros
// outside the signal.
std::vector<PolarFrame> stft(std::span<const float> x, RealFft& fft,
                             const std::vector<float>& window) {
  const auto n = static_cast<std::int64_t>(x.size());
  const std::int64_t frames = 1 + n / kHop;
  std::vector<PolarFrame> out(static_cast<std::size_t>(frames));
  for (std::int64_t t = 0; t < frames; ++t) {
    const std::int64_t start = t * kHop - kFft / 2;
    for (int i = 0; i < kFft; ++i) {
      const std::int64_t j = start + i;
      fft.time()[i] = j >= 0 && j < n ? x[static_cast<std::size_t>(j)] * window[i] : 0.0f;
    }
    fft.forward();
    PolarFrame& f = out[static_cast<std::size_t>(t)];
    f.magnitude.resize(kBins);
    f.phase.resize(kBins);
    for (int k = 0; k < kBins; ++k) {
      const std::complex<float> c = fft.freq()[k];
      f.magnitude[k] = std::sqrt(c.real() * c.real() + c.imag() * c.imag());
      f.phase[k] = std::atan2(c.imag(), c.real());
    }
  }
  return out;
}

// librosa.phase_vocoder: frames at fractional steps 0, rate, 2·rate, …; magnitudes interpolated
// between the two neighbouring frames, phases advanced by each bin's measured instantaneous
// frequency so partials stay continuous.
Frames phase_vocoder(const std::vector<PolarFrame>& d, double rate) {
  const std::size_t n = d.size();
  const auto steps = static_cast<std::size_t>(std::ceil(static_cast<double>(n) / rate));
  Frames out(steps, std::vector<std::complex<float>>(kBins));
  std::vector<double> advance(kBins), phase(kBins);
  for (int k = 0; k < kBins; ++k) {
    advance[k] = std::numbers::pi * kHop * k / (kBins - 1);  // np.linspace(0, π·hop, bins)
    phase[k] = d[0].phase[k];
  }
  // librosa pads two zero frames (magnitude 0, angle 0).
  const PolarFrame zeros{std::vector<float>(kBins, 0.0f), std::vector<float>(kBins, 0.0f)};
  for (std::size_t t = 0; t < steps; ++t) {
    const double step = static_cast<double>(t) * rate;
    const auto i = static_cast<std::size_t>(step);
    const PolarFrame& a = i < n ? d[i] : zeros;
    const PolarFrame& b = i + 1 < n ? d[i + 1] : zeros;
    const double alpha = step - std::floor(step);
    for (int k = 0; k < kBins; ++k) {
      const double mag = (1 - alpha) * a.magnitude[k] + alpha * b.magnitude[k];
      out[t][k] = std::polar(static_cast<float>(mag), static_cast<float>(phase[k]));
      double dphase = static_cast<double>(b.phase[k]) - a.phase[k] - advance[k];
      dphase -= 2 * std::numbers::pi * std::nearbyint(dphase / (2 * std::numbers::pi));
      phase[k] += advance[k] + dphase;
    }
  }
  return out;
}

// librosa.istft(center=True, length=length): windowed overlap-add divided by the window's sum of
// squares where that is not ~0, the centre padding trimmed, zero-padded or cut to `length`.
std::vector<float> istft(const Frames& d, std::size_t length, RealFft& fft,
                         const std::vector<float>& window) {
  const std::size_t padded = length + 2 * (kFft / 2);
  const std::size_t frames = std::min(d.size(), (padded + kHop - 1) / kHop);
  const std::size_t total = frames == 0 ? 0 : kFft + kHop * (frames - 1);
  std::vector<double> y(total, 0.0), wss(total, 0.0);
  for (std::size_t t = 0; t < frames; ++t) {
    std::copy(d[t].begin(), d[t].end(), fft.freq());
    fft.inverse();
    for (int i = 0; i < kFft; ++i) {
      y[t * kHop + i] += static_cast<double>(fft.time()[i]) / kFft * window[i];
      wss[t * kHop + i] += static_cast<double>(window[i]) * window[i];
    }
  }
  std::vector<float> out(length, 0.0f);
  for (std::size_t i = 0; i < length && i + kFft / 2 < total; ++i) {
    const std::size_t j = i + kFft / 2;
    out[i] = static_cast<float>(wss[j] > std::numeric_limits<float>::min() ? y[j] / wss[j] : y[j]);
  }
  return out;
}

}  // namespace

std::vector<float> time_stretch(std::span<const float> signal, double rate) {
  CHORUS_CHECK_AS(ConfigError, rate > 0 && std::isfinite(rate),
                  "time stretch rate {}: expected > 0", rate);
  const auto length =
      static_cast<std::size_t>(std::llround(static_cast<double>(signal.size()) / rate));
  if (signal.empty() || length == 0) return std::vector<float>(length, 0.0f);
  RealFft fft;
  const std::vector<float> window = hann();
  return istft(phase_vocoder(stft(signal, fft, window), rate), length, fft, window);
}

std::vector<float> pitch_shift(std::span<const float> signal, int sample_rate, double semitones) {
  CHORUS_CHECK_AS(ConfigError, sample_rate > 0, "pitch shift at {} Hz: expected a positive rate",
                  sample_rate);
  const double rate = std::pow(2.0, -semitones / 12.0);
  const std::vector<float> stretched = time_stretch(signal, rate);
  // Played back at sample_rate / rate it has the original duration; resample that to sample_rate.
  std::vector<float> out(signal.size(), 0.0f);
  if (stretched.empty() || out.empty()) return out;
  const auto capacity =
      static_cast<std::size_t>(std::ceil(static_cast<double>(stretched.size()) * rate)) + 1;
  std::vector<float> resampled(capacity);
  std::size_t produced = 0;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  const soxr_error_t error =
      soxr_oneshot(sample_rate / rate, sample_rate, 1, stretched.data(), stretched.size(), nullptr,
                   resampled.data(), resampled.size(), &produced, &io, &quality, nullptr);
  CHORUS_CHECK(error == nullptr, "pitch shift: soxr failed: {}", error);
  std::copy_n(resampled.begin(), std::min(produced, out.size()),
              out.begin());  // librosa's fix_length
  return out;
}

}  // namespace chorus::augment
