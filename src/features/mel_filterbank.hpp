#pragma once
// Triangular mel filters, built exactly as torchaudio.functional.melscale_fbanks builds them
// (HTK or Slaney mel formula, optional Slaney area normalisation), stored sparsely: each filter
// touches only the FFT bins between its two neighbours' centres.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace chorus::features {

enum class MelScale { htk, slaney };

double hz_to_mel(double hz, MelScale scale);
double mel_to_hz(double mel, MelScale scale);

class MelFilterbank {
 public:
  // n_freqs = n_fft/2 + 1 bins spanning 0 .. sample_rate/2.
  MelFilterbank(int n_freqs, double f_min, double f_max, int n_mels, int sample_rate,
                MelScale scale, bool slaney_norm);

  int n_mels() const { return static_cast<int>(filters_.size()); }
  int n_freqs() const { return n_freqs_; }
  // Centre frequency of each band in Hz (the peak of its triangle), ascending.
  const std::vector<double>& centres_hz() const { return centres_hz_; }

  // Frames side by side: bin k of frame j at spectra[k·stride + j], band m to mel[m·stride + j],
  // mel[m·stride + j] = Σ_k weight(m, k) · spectra[k·stride + j] for j < count. `stride` is a
  // multiple of kFrameLanes, and every value of spectra's rows is read (those at count and past
  // it are ignored): the frames run in vector lanes, each sum over its bins in order.
  static constexpr std::size_t kFrameLanes = 8;
  void apply(const float* spectra, std::size_t stride, int count, float* mel) const;

  // Dense weight matrix [n_freqs × n_mels], as torchaudio returns it (for tests).
  std::vector<float> dense() const;

 private:
  struct Filter {
    int first_bin = 0;
    std::vector<float> weights;  // bins first_bin .. first_bin + weights.size()
  };
  int n_freqs_;
  std::vector<Filter> filters_;
  std::vector<double> centres_hz_;
};

}  // namespace chorus::features
