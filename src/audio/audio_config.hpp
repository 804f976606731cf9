#pragma once
// [audio]: how every file is decoded before features are computed.

#include <array>
#include <string_view>

#include "core/config_fields.hpp"
#include "core/enum_names.hpp"

namespace chorus::audio {

// soxr's quality recipes, from quick to very high.
enum class ResampleQuality { quick, lq, mq, hq, vhq };

struct AudioConfig {
  static constexpr std::string_view kSection = "audio";
  int sample_rate = 32000;  // Hz; every file is mixed to mono and resampled to this
  ResampleQuality resample_quality = ResampleQuality::hq;

  void register_fields(core::ConfigFields& fields);
  void validate() const;
};

}  // namespace chorus::audio

template <>
struct chorus::core::EnumNames<chorus::audio::ResampleQuality> {
  static constexpr std::array<std::string_view, 5> names{"quick", "lq", "mq", "hq", "vhq"};
};
