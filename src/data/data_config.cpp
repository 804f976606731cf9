#include "data/data_config.hpp"

#include "core/error.hpp"

namespace chorus::data {

void DataConfig::register_fields(core::ConfigFields& f) {
  f.add("target", &target,
        "target policy: primary; shared (primary 0.5, secondaries share 0.5); masked "
        "(secondaries out of the loss); secondary (secondaries = secondary_value)");
  f.add("secondary_value", &secondary_value, "target of secondary labels with target = secondary")
      .within(0, 1);
  f.add("label_smoothing", &label_smoothing, "epsilon: y = (1 - eps) * y + eps / classes")
      .at_least(0)
      .below(1);
  f.add("rating_weight", &rating_weight, "weight each clip by rating / 5 (unrated: 1)");
  f.add("segment_seconds", &segment_seconds,
        "> 0 splits long recordings into items of this length (0 = one item per clip)")
      .unit("s")
      .at_least(0);
  f.add("drop_unknown_secondary", &drop_unknown_secondary,
        "drop secondary labels that are not in the class list instead of failing");
  f.add("nocall_dir", &nocall_dir,
        "folder of recordings without any class: training items with all-zero targets, one per "
        "window_seconds of each recording (\"\" = none)");
  f.add("teacher", &teacher,
        "teacher's labels of the training clips (chorus pseudo --oof or detections, "
        "BirdNET-Analyzer CSV, Raven table) blended into their targets by pseudo_blend "
        "(\"\" = none)");
  f.add("pseudo_blend", &pseudo_blend,
        "teacher blend c: y = (1 - c) * y + c * teacher, the teacher's chunks over the item's span "
        "pooled by max (needs data.teacher)")
      .within(0, 1);
  f.add("teacher_drop_disagreeing", &teacher_drop_disagreeing,
        "leave out of training the clips whose teacher top-1 is none of their labels (needs "
        "data.teacher)");
  f.add("teacher_promote_secondary", &teacher_promote_secondary,
        "a clip whose teacher top-1 is one of its secondary labels gets it as primary label "
        "(needs data.teacher)");
  f.add("teacher_masked_weight", &teacher_masked_weight,
        "> 0: cells the truth leaves out of the loss (RFCX's unannotated species) take the "
        "teacher's probability with this loss weight (0 = they stay out; needs data.teacher)")
      .within(0, 1);
  f.add("pseudo_labels", &pseudo_labels,
        "pseudo-label table (chorus pseudo) of unlabelled recordings: one training item per "
        "chunk with its soft probabilities as target (\"\" = none)");
  f.add("pseudo_weight", &pseudo_weight, "sample weight of the pseudo-labelled items").at_least(0);
  f.add("pseudo_use", &pseudo_use,
        "items (pseudo-labelled chunks are training items) or mix (each input is mixed up with a "
        "pseudo-labelled window with probability pseudo_mix_p)");
  f.add("labelled_share", &labelled_share,
        "pseudo_use = items: share of inputs drawn from the labelled items, the rest from the "
        "pseudo-labelled ones (0 = every item once per epoch, the two alike)")
      .probability();
  f.add("pseudo_mix_p", &pseudo_mix_p,
        "pseudo_use = mix: chance an input is mixed with a pseudo-labelled window (lambda ~ "
        "Beta(augment.mixup_alpha), targets by augment.mixup_labels)")
      .probability();
  f.add("pseudo_sampling", &pseudo_sampling,
        "pseudo_use = mix: which window an input gets: uniform, or confidence (chance ~ the "
        "row's largest probability)");
  f.add("window_seconds", &window_seconds, "per training input (random crop of an item's span)")
      .unit("s")
      .above(0)
      .at_most(600);
  f.add("sampling", &sampling,
        "uniform (each item once per epoch) or balanced (with replacement, chance ~ 1 / count "
        "of the item's strongest class)");
  f.add("halves", &halves,
        "1, or 2: an input is two half-window crops of two items side by side (target mean, "
        "mask product)")
      .one_of({1, 2});
}

void DataConfig::validate() const { core::check_declared(*this); }

}  // namespace chorus::data
