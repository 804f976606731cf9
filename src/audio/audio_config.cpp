#include "audio/audio_config.hpp"

#include "core/error.hpp"

namespace chorus::audio {

void AudioConfig::register_fields(core::ConfigFields& fields) {
  fields.add("sample_rate", &sample_rate, "every file is mixed to mono and resampled to this")
      .unit("Hz")
      .within(1000, 384000);
  fields.add("resample_quality", &resample_quality, "soxr quality recipe");
}

void AudioConfig::validate() const { core::check_declared(*this); }

}  // namespace chorus::audio
