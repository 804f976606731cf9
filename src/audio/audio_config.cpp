#include "audio/audio_config.hpp"

#include "core/error.hpp"

namespace chorus::audio {

void AudioConfig::register_fields(core::ConfigFields& fields) {
  fields.add("sample_rate", &sample_rate, "Hz; every file is mixed to mono and resampled to this");
  fields.add("resample_quality", &resample_quality, "soxr quality recipe");
}

void AudioConfig::validate() const {
  CHORUS_CHECK_AS(ConfigError, sample_rate >= 1000 && sample_rate <= 384000,
                  "audio.sample_rate = {}: expected 1000..384000 Hz", sample_rate);
}

}  // namespace chorus::audio
