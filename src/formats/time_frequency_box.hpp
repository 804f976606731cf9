#pragma once
// A box on the spectrogram: the shape of an annotation in RFCX tables (t_min/t_max/f_min/f_max)
// and Raven selection tables (Begin/End Time, Low/High Freq). Both formats are read through one
// reader so a box is checked the same way wherever it comes from.

#include <cstddef>
#include <string_view>

#include "formats/csv_table.hpp"

namespace chorus::formats {

struct TimeFrequencyBox {
  double begin_s = 0;  // seconds from the start of the recording
  double end_s = 0;    // seconds, > begin_s
  double low_hz = 0;   // lower edge in Hz
  double high_hz = 0;  // upper edge in Hz, > low_hz
};

// The cell as a number ≥ 0 (a time or a frequency); a FormatError naming the line and the column
// otherwise.
double non_negative_number(const CsvTable& table, std::size_t row, std::size_t column);

// Reads boxes from the four columns a format names them with.
class TimeFrequencyBoxReader {
 public:
  // A FormatError (missing column) when one of the four is not in `table`.
  TimeFrequencyBoxReader(const CsvTable& table, std::string_view begin, std::string_view end,
                         std::string_view low, std::string_view high);

  // The box of `row`; a FormatError naming the line and the columns for a cell that is not a
  // number, a negative edge, or begin ≥ end / low ≥ high (an empty box marks nothing).
  TimeFrequencyBox read(std::size_t row) const;

 private:
  void check_below(std::size_t row, std::size_t lower, double low, std::size_t upper,
                   double high) const;

  const CsvTable& table_;
  std::size_t begin_, end_, low_, high_;
};

}  // namespace chorus::formats
