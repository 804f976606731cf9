#pragma once
// A teacher's labels of recordings, from chorus or from another tool, as a pseudo-label table
// over the dataset's classes (data.teacher; docs/selftraining.md). Read by its header:
//   - chorus pseudo tables: recording,start_s,end_s,<class>,…;
//   - chorus detections tables: recording,class,start_s,end_s,score;
//   - BirdNET-Analyzer CSV: Start (s),End (s),Scientific name,Common name,Confidence,File (the
//     combined table; a per-file table has no File column, and is refused naming it);
//   - Raven selection tables, BirdNET-Analyzer's included (tab-separated): Begin Path, or else
//     Begin File, names the recording; Confidence, when there, is the probability, else 1 (a
//     person's selection).
// Names are matched to classes through ClassNames (code, scientific or common name). Rows of a
// name no class goes by are left out and counted by name: reported, never guessed. Detections
// become one row per distinct chunk (recording, start, end), each class at the largest
// confidence given it there and 0 where the chunk does not list it; the table's classes are the
// ones it names anywhere (a class the tool never reports is not claimed absent). A table that
// names no class at all, or a detections score outside [0, 1], is a FormatError.

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "formats/class_names.hpp"
#include "formats/pseudo_table.hpp"

namespace chorus::formats {

enum class TeacherFormat { pseudo, detections, birdnet, raven };

struct TeacherTable {
  TeacherFormat format = TeacherFormat::pseudo;
  PseudoTable table;  // classes: class codes, in the class list's order
  std::map<std::string, std::size_t> unknown_names;  // name → rows (or pseudo cells' rows) left out
};

// "BirdNET-Analyzer CSV", …: what a report calls the format.
std::string_view describe(TeacherFormat format);

TeacherTable read_teacher_table(const std::filesystem::path& path, const ClassList& classes,
                                const ClassNames& names);

}  // namespace chorus::formats
