#include "data/data_config.hpp"

#include "core/error.hpp"

namespace chorus::data {

void DataConfig::register_fields(core::ConfigFields& f) {
  f.add("target", &target,
        "target policy: primary; shared (primary 0.5, secondaries share 0.5); masked "
        "(secondaries out of the loss); secondary (secondaries = secondary_value)");
  f.add("secondary_value", &secondary_value, "target of secondary labels with target = secondary");
  f.add("label_smoothing", &label_smoothing, "epsilon: y = (1 - eps) * y + eps / classes");
  f.add("rating_weight", &rating_weight, "weight each clip by rating / 5 (unrated: 1)");
  f.add("segment_seconds", &segment_seconds,
        "seconds; > 0 splits long recordings into items of this length (0 = one item per clip)");
  f.add("drop_unknown_secondary", &drop_unknown_secondary,
        "drop secondary labels that are not in the class list instead of failing");
  f.add("nocall_dir", &nocall_dir,
        "folder of recordings without any class: training items with all-zero targets, one per "
        "window_seconds of each recording (\"\" = none)");
  f.add("pseudo_blend", &pseudo_blend, "pseudo-label blend c: y = (1 - c) * y + c * p");
  f.add("window_seconds", &window_seconds,
        "seconds per training input (random crop of an item's span)");
  f.add("sampling", &sampling,
        "uniform (each item once per epoch) or balanced (with replacement, chance ~ 1 / count "
        "of the item's strongest class)");
  f.add("halves", &halves,
        "1, or 2: an input is two half-window crops of two items side by side (target mean, "
        "mask product)");
}

void DataConfig::validate() const {
  CHORUS_CHECK_AS(ConfigError, secondary_value >= 0 && secondary_value <= 1,
                  "data.secondary_value = {}: expected 0..1", secondary_value);
  CHORUS_CHECK_AS(ConfigError, label_smoothing >= 0 && label_smoothing < 1,
                  "data.label_smoothing = {}: expected 0 ≤ eps < 1", label_smoothing);
  CHORUS_CHECK_AS(ConfigError, segment_seconds >= 0, "data.segment_seconds = {}: expected ≥ 0",
                  segment_seconds);
  CHORUS_CHECK_AS(ConfigError, pseudo_blend >= 0 && pseudo_blend <= 1,
                  "data.pseudo_blend = {}: expected 0..1", pseudo_blend);
  CHORUS_CHECK_AS(ConfigError, window_seconds > 0 && window_seconds <= 600,
                  "data.window_seconds = {}: expected 0 < seconds ≤ 600", window_seconds);
  CHORUS_CHECK_AS(ConfigError, halves == 1 || halves == 2, "data.halves = {}: expected 1 or 2",
                  halves);
}

}  // namespace chorus::data
