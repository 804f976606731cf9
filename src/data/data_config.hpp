#pragma once
// [data]: how labelled recordings become training items and targets.

#include <array>
#include <string>
#include <string_view>

#include "core/config_fields.hpp"
#include "core/enum_names.hpp"

namespace chorus::data {

// How a clip's labels become its target:
//   primary: the primary label is 1, everything else 0.
//   shared: primary 0.5 and the secondary labels share 0.5 (primary 1 when there are none;
//     BirdCLEF 2024 1st place).
//   masked: primary 1, secondary labels left out of the loss (mask 0; BirdCLEF 2021).
//   secondary: primary 1, secondary labels secondary_value.
enum class TargetPolicy { primary, shared, masked, secondary };
// uniform: every item once per epoch, shuffled. balanced: as many draws with replacement, an
//   item's chance ∝ 1 / (items of its strongest class), so rare classes are seen as often.
enum class Sampling { uniform, balanced };
// How the pseudo-labelled items of data.pseudo_labels train:
//   items: as training items among the clips, drawn by data.sampling (RFCX 2021 1st place);
//   mix: never drawn themselves; each training input is instead, with probability pseudo_mix_p,
//     mixed up with a pseudo-labelled window (BirdCLEF 2025 1st place mixed pseudo-labelled
//     soundscapes into every batch rather than appending them).
enum class PseudoUse { items, mix };
// Which pseudo-labelled window a mixed input gets: uniform, or confidence (chance ∝ the row's
// largest known probability, so confident windows are drawn more; BirdCLEF 2025 1st place).
enum class PseudoSampling { uniform, confidence };

struct DataConfig {
  static constexpr std::string_view kSection = "data";
  TargetPolicy target = TargetPolicy::primary;
  double secondary_value = 1.0;  // the secondary labels' target with target = "secondary"
  double label_smoothing = 0.0;  // y ← (1 − ε)·y + ε / classes (torch CrossEntropyLoss's rule)
  bool rating_weight = false;    // sample weight rating / 5 (unrated clips, rating 0: weight 1)
  double segment_seconds = 0.0;         // > 0: long recordings become items of this length
  bool drop_unknown_secondary = false;  // secondary labels outside the class list are dropped
                                        // (instead of being an error)
  // A teacher's labels of the training clips (`chorus pseudo --oof`, chorus detections,
  // BirdNET-Analyzer's CSV or a Raven table; data/teacher_labels.hpp): each training clip's
  // target becomes (1 − pseudo_blend)·y + pseudo_blend·teacher (BirdCLEF 2024 1st place: 0.95
  // own, 0.05 teacher); clips whose teacher top-1 is none of their labels can be dropped, and a
  // secondary label the teacher agrees with promoted. "" = none, and then the teacher keys do
  // nothing.
  std::string teacher;
  double pseudo_blend = 0.05;
  bool teacher_drop_disagreeing = false;
  bool teacher_promote_secondary = false;
  double teacher_masked_weight = 0.0;  // > 0: masked cells take the teacher's label, this weight
  // Pseudo-labelled chunks of unlabelled recordings (a `chorus pseudo` table): one training item
  // per row, its soft probabilities the target, `pseudo_weight` its sample weight (RFCX 2021 1st
  // place: 0.3–0.5), never validated on. "" = none.
  std::string pseudo_labels;
  double pseudo_weight = 0.5;
  PseudoUse pseudo_use = PseudoUse::items;
  // pseudo_use = items: the share of inputs drawn from the labelled items, the rest from the
  // pseudo-labelled ones, both with replacement (RFCX 2021 2nd place kept sampling its TP/FP
  // windows with p = 0.5 through every pseudo-labelling round); 0 = no share: all items alike.
  double labelled_share = 0.0;
  // pseudo_use = mix: the chance an input is mixed, λ ~ Beta(augment.mixup_alpha) for the input
  // and 1 − λ for the window, targets combined by augment.mixup_labels (max or blend).
  double pseudo_mix_p = 0.5;
  PseudoSampling pseudo_sampling = PseudoSampling::uniform;
  double window_seconds = 10.0;  // seconds per training input (BirdCLEF 2024's context window)
  Sampling sampling = Sampling::uniform;
  // 1: an input is one crop of window_seconds. 2: two window/2 crops of two items side by side,
  //   target the mean of theirs, mask the product (BirdCLEF 2024 1st place).
  int halves = 1;
  // A folder of recordings in which no class calls (BirdCLEF's "nocall" clips, site backgrounds):
  // each becomes a training item with an all-zero target, so that silence and background noise
  // do not stand for a species. "" = none.
  std::string nocall_dir;

  void register_fields(core::ConfigFields& fields);
  void validate() const;
};

}  // namespace chorus::data

template <>
struct chorus::core::EnumNames<chorus::data::TargetPolicy> {
  static constexpr std::array<std::string_view, 4> names{"primary", "shared", "masked",
                                                         "secondary"};
};
template <>
struct chorus::core::EnumNames<chorus::data::Sampling> {
  static constexpr std::array<std::string_view, 2> names{"uniform", "balanced"};
};
template <>
struct chorus::core::EnumNames<chorus::data::PseudoUse> {
  static constexpr std::array<std::string_view, 2> names{"items", "mix"};
};
template <>
struct chorus::core::EnumNames<chorus::data::PseudoSampling> {
  static constexpr std::array<std::string_view, 2> names{"uniform", "confidence"};
};
