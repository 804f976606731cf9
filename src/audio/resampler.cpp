#include "audio/resampler.hpp"

#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/error.hpp"

namespace chorus::audio {
namespace {

unsigned long recipe(ResampleQuality quality) {
  switch (quality) {
    case ResampleQuality::quick:
      return SOXR_QQ;
    case ResampleQuality::lq:
      return SOXR_LQ;
    case ResampleQuality::mq:
      return SOXR_MQ;
    case ResampleQuality::hq:
      return SOXR_HQ;
    case ResampleQuality::vhq:
      return SOXR_VHQ;
  }
  CHORUS_UNREACHABLE("a resample quality outside ResampleQuality");
}

}  // namespace

Resampler::Resampler(int in_rate, int out_rate, ResampleQuality quality)
    : ratio_(static_cast<double>(out_rate) / in_rate) {
  CHORUS_CHECK(in_rate > 0 && out_rate > 0, "cannot resample {} Hz to {} Hz", in_rate, out_rate);
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t q = soxr_quality_spec(recipe(quality), 0);
  // One thread per converter: chorus parallelises across files and file segments instead.
  const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
  soxr_error_t error = nullptr;
  handle_ = soxr_create(in_rate, out_rate, 1, &error, &io, &q, &runtime);
  CHORUS_CHECK(error == nullptr && handle_ != nullptr, "soxr: cannot resample {} Hz to {} Hz: {}",
               in_rate, out_rate, error ? error : "unknown error");
}

Resampler::~Resampler() { soxr_delete(handle_); }

void Resampler::run(const float* input, std::size_t length, std::vector<float>& out) {
  // With input == nullptr soxr drains its buffers; loop until it has nothing more to give.
  std::size_t consumed_total = 0;
  for (;;) {
    const std::size_t room = static_cast<std::size_t>((length - consumed_total) * ratio_) + 4096;
    const std::size_t old_size = out.size();
    out.resize(old_size + room);
    std::size_t consumed = 0, produced = 0;
    const soxr_error_t error = soxr_process(handle_, input ? input + consumed_total : nullptr,
                                            input ? length - consumed_total : 0, &consumed,
                                            out.data() + old_size, room, &produced);
    CHORUS_CHECK(error == nullptr, "soxr: {}", error);
    out.resize(old_size + produced);
    consumed_total += consumed;
    if (input ? consumed_total >= length && produced < room : produced == 0) break;
  }
}

void Resampler::process(std::span<const float> input, std::vector<float>& out) {
  if (!input.empty()) run(input.data(), input.size(), out);
}

void Resampler::flush(std::vector<float>& out) { run(nullptr, 0, out); }

std::int64_t resampled_length(std::int64_t frames, int in_rate, int out_rate) {
  return (frames * out_rate + in_rate - 1) / in_rate;
}

std::vector<float> resample(std::span<const float> input, int in_rate, int out_rate,
                            ResampleQuality quality) {
  if (in_rate == out_rate) return {input.begin(), input.end()};
  const auto length = static_cast<std::size_t>(resampled_length(input.size(), in_rate, out_rate));
  Resampler resampler(in_rate, out_rate, quality);
  std::vector<float> out;
  out.reserve(length + 64);
  // soxr is fast on blocks and pathologically slow on one huge buffer (11.7 s instead of 0.6 s
  // for 40 minutes at 48 kHz), so even a whole signal goes through in blocks.
  constexpr std::size_t kBlock = 1 << 16;
  for (std::size_t done = 0; done < input.size(); done += kBlock)
    resampler.process(input.subspan(done, std::min(kBlock, input.size() - done)), out);
  resampler.flush(out);
  out.resize(length, 0.0f);
  return out;
}

}  // namespace chorus::audio
