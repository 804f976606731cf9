#pragma once
// [audio]: how every file is decoded before features are computed.

#include "core/config_fields.hpp"

namespace chorus::audio {

struct AudioConfig {
  int sample_rate = 32000;              // Hz; every file is mixed to mono and resampled to this
  std::string resample_quality = "hq";  // soxr recipe: quick, lq, mq, hq, vhq

  void register_fields(core::ConfigFields& fields);
  void validate() const;
};

}  // namespace chorus::audio
