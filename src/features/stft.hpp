#pragma once
// Short-time Fourier transform frames as torch.stft produces them: periodic Hann window
// (torch.hann_window), centred frames with reflect or zero padding, one-sided spectrum.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace chorus::features {

enum class PadMode { reflect, constant };

// The STFT's settings and the frame geometry every caller derives from them (frames ↔ samples),
// as torch.stft frames a signal.
struct StftSettings {
  int n_fft = 1024;
  int win_length = 1024;
  int hop_length = 500;
  bool center = true;
  PadMode pad_mode = PadMode::reflect;
  double power = 2.0;  // 2: |X|², 1: |X|

  // Samples of padding on each side of the signal (center).
  std::int64_t pad() const { return center ? n_fft / 2 : 0; }
  // The signal's samples frame t reads, [frame_start, frame_end): before the start or past the
  // end where the padding supplies them.
  std::int64_t frame_start(std::int64_t t) const { return t * hop_length - pad(); }
  std::int64_t frame_end(std::int64_t t) const { return frame_start(t) + n_fft; }
  // The length of a signal that has exactly `frames` frames.
  std::int64_t samples_for_frames(std::int64_t frames) const {
    return (frames - 1) * hop_length + n_fft - 2 * pad();
  }
};

// Number of frames torch.stft gives for a signal of `samples` samples.
std::int64_t stft_frame_count(std::int64_t samples, const StftSettings& settings);

// Sample index of `padded_index` (an index into the centre-padded signal, possibly outside it)
// in the original signal, reflecting like numpy.pad(mode="reflect"): repeated reflection when the
// pad is longer than the signal, so even a 1-sample file has a spectrum.
std::int64_t reflect_index(std::int64_t index, std::int64_t length);

// Computes one-sided power (or magnitude) spectra frame by frame. Not thread-safe: each thread
// owns one (they are cheap; FFTW plans are shared through FFTW's wisdom).
class StftFrames {
 public:
  explicit StftFrames(const StftSettings& settings);
  ~StftFrames();
  StftFrames(const StftFrames&) = delete;
  StftFrames& operator=(const StftFrames&) = delete;

  int n_freqs() const { return settings_.n_fft / 2 + 1; }
  // Writes the spectrum of frame `frame` of `signal` (n_freqs values) to `out`.
  void compute(std::span<const float> signal, std::int64_t frame, float* out) {
    compute(signal, 0, static_cast<std::int64_t>(signal.size()), frame, out);
  }
  // The same for a signal of `length` samples of which only samples [offset, offset +
  // part.size()) are in memory (a stream); they must cover every sample the frame reads,
  // after reflection at the signal's edges (MelStream keeps what that needs). Bin k goes to
  // out[k·stride]: a stride lays frames side by side (MelSpectrogram's tiles).
  void compute(std::span<const float> part, std::int64_t offset, std::int64_t length,
               std::int64_t frame, float* out, std::size_t stride = 1);

 private:
  StftSettings settings_;
  std::vector<float> window_;  // n_fft long, the Hann window zero-padded and centred
  struct Fft;
  std::unique_ptr<Fft> fft_;
};

}  // namespace chorus::features
