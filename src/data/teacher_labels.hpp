#pragma once
// A teacher's labels of the training clips (data.teacher: formats::TeacherTable, from
// `chorus pseudo --oof` or another tool) applied to the items a fold trains on; never to the
// held-out ones, whose targets stay the truth they are scored against. After BirdCLEF 2024's
// 1st place, for each training item whose recording the teacher labelled (its chunks over the
// item's span pooled by max per class; the teacher's top-1 the class of the largest of those):
//   - data.teacher_promote_secondary: a top-1 that is one of the item's secondary labels becomes
//     its primary label: the two classes swap target value and mask, which is what the target
//     policy gives with the labels swapped;
//   - data.teacher_drop_disagreeing: an item whose top-1 is none of its labels leaves training
//     (judged only where the teacher has a column for the item's primary label and a top-1 above
//     0; otherwise it could not have agreed);
//   - then (1 − c)·y + c·teacher on the teacher's classes, c = data.pseudo_blend;
//   - data.teacher_masked_weight > 0: the cells the truth leaves out of the loss (mask 0: RFCX's
//     species not annotated in a box, the masked target policy's secondaries) take the teacher's
//     probability instead, with that weight as their mask (RFCX 2021 4th/5th places: re-labelled
//     cells at loss weight 0.5; a cell weight in bce, focal and masked_bce).
// Items are matched by folder and file name (data::recording_key), so a table written from
// another directory serves. Items that are not clips (no labels) are only blended; pseudo-labelled
// items (data.pseudo_labels) are a teacher's labels already and are left alone.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <vector>

#include "data/data_config.hpp"
#include "data/dataset.hpp"
#include "formats/pseudo_table.hpp"

namespace chorus::data {

enum class TeacherDecision { kept, promoted, dropped, unlabelled };

struct TeacherOutcome {
  std::size_t item = 0;
  TeacherDecision decision = TeacherDecision::kept;
  std::optional<std::size_t> top1;  // the teacher's top-1 dataset class over the item's span
  float top1_probability = 0;
};

struct TeacherReport {
  std::size_t blended = 0;               // items blended (kept or promoted)
  std::size_t promoted = 0;              // of them, a secondary label made primary
  std::size_t dropped = 0;               // left out of training
  std::size_t unlabelled = 0;            // no teacher chunk over their span: left as they were
  std::size_t filled_cells = 0;          // masked cells given the teacher's probability
  std::vector<TeacherOutcome> outcomes;  // one per training item but pseudo-labelled ones
  // train_items without the dropped ones, in their order.
  std::vector<std::size_t> train_items;
};

// `teacher`'s classes must be dataset classes (a ConfigError naming `table_path` otherwise).
TeacherReport apply_teacher(Dataset& dataset, const formats::PseudoTable& teacher,
                            const DataConfig& config, const std::vector<std::size_t>& train_items,
                            const std::filesystem::path& table_path);

}  // namespace chorus::data

template <>
struct chorus::core::EnumNames<chorus::data::TeacherDecision> {
  static constexpr std::array<std::string_view, 4> names{"kept", "promoted", "dropped",
                                                         "unlabelled"};
};
