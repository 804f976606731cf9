#pragma once
// The pseudo-label table `chorus pseudo` writes and self-training reads (docs/selftraining.md):
// one row per chunk of a recording, a soft probability per class.
//
//   recording,start_s,end_s,<class 1>,<class 2>,…
//   site_a/20190522_050000.ogg,0,5,0.91,0,…
//
// `recording` is the audio file as the labeller was given it; start_s < end_s in seconds from
// the recording's start; each class cell is a probability in [0, 1] (0 for cells the transforms
// cleared). Rows are in recording order, then time order. Written with the shortest decimal form
// that reads back to the same float.

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace chorus::formats {

struct PseudoRow {
  std::string recording;
  double start_seconds = 0, end_seconds = 0;
  std::vector<float> probabilities;  // one per class of the table
  int line = 0;                      // physical line when read, for messages
};

struct PseudoTable {
  std::vector<std::string> classes;
  std::vector<PseudoRow> rows;
};

// Throws FormatError naming the file and line for: a missing recording/start_s/end_s column, no
// class column, a repeated class, a ragged row, an empty recording, a time that is not a finite
// number, a negative start, an end not after its start, a probability outside [0, 1] or not a
// number.
PseudoTable read_pseudo_table(const std::filesystem::path& path);

// Writes the table atomically. Every row must have one probability per class.
void write_pseudo_table(const std::filesystem::path& path, const PseudoTable& table);

}  // namespace chorus::formats
