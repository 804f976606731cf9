#include "formats/truth_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "formats/csv_table.hpp"
#include "formats/raven_truth.hpp"

namespace chorus::formats {
namespace {

struct FormatSignature {
  TruthFormat format;
  std::string_view name;
  std::array<std::string_view, 2> columns;  // the columns only this format requires
};

constexpr std::array<FormatSignature, 3> kFormats = {{
    {TruthFormat::soundscape, "soundscape", {"row_id", "labels"}},
    {TruthFormat::metadata, "metadata", {"primary_label", "filename"}},
    {TruthFormat::rfcx, "rfcx", {"recording_id", "species_id"}},
}};

const FormatSignature& signature(TruthFormat format) {
  return *std::find_if(kFormats.begin(), kFormats.end(),
                       [&](const FormatSignature& f) { return f.format == format; });
}

constexpr std::string_view kRavenName = "raven";

}  // namespace

std::string_view truth_format_name(TruthFormat format) {
  return format == TruthFormat::raven ? kRavenName : signature(format).name;
}

std::optional<TruthFormat> truth_format_from_name(std::string_view name) {
  if (name == kRavenName) return TruthFormat::raven;
  for (const FormatSignature& f : kFormats)
    if (f.name == name) return f.format;
  return std::nullopt;
}

TruthFormat detect_truth_format(const std::filesystem::path& path) {
  if (looks_like_raven(path)) return TruthFormat::raven;
  // The whole table is parsed for its header; truth files are small next to the audio they
  // describe, and one CSV parser keeps BOMs and quoting handled once.
  const CsvTable table = CsvTable::read(path);
  std::vector<const FormatSignature*> matches;
  std::vector<std::string> expected;
  for (const FormatSignature& f : kFormats) {
    if (table.find_column(f.columns[0]) && table.find_column(f.columns[1])) matches.push_back(&f);
    expected.push_back(fmt::format("{} and {} ({})", f.columns[0], f.columns[1], f.name));
  }
  CHORUS_CHECK_AS(FormatError, !matches.empty(),
                  "{}: not a truth table: expected the columns {} (columns: {})", table.path(),
                  fmt::join(expected, ", or "), fmt::join(table.header(), ", "));
  if (matches.size() > 1) {
    std::vector<std::string_view> names;
    for (const FormatSignature* f : matches) names.push_back(f->name);
    throw FormatError(
        fmt::format("{}: the columns fit more than one truth format ({}); "
                    "--truth-format names it",
                    table.path(), fmt::join(names, ", ")));
  }
  return matches.front()->format;
}

TruthLabels read_truth(const TruthFiles& files) {
  const TruthFormat format = files.format ? *files.format : detect_truth_format(files.labels);
  const bool has_false_positives = !files.rfcx_false_positives.empty();
  CHORUS_CHECK_AS(FormatError, !has_false_positives || format == TruthFormat::rfcx,
                  "{}: a false-positive table goes with RFCX truth, but {} is read as {}",
                  files.rfcx_false_positives.string(), files.labels.string(),
                  truth_format_name(format));
  switch (format) {
    case TruthFormat::soundscape:
      return truth_from_soundscape_labels(read_soundscape_labels(files.labels));
    case TruthFormat::metadata:
      return truth_from_clip_metadata(ClipMetadata::read(files.labels));
    case TruthFormat::raven:
      return truth_from_raven(files.labels, files.chunk_rows);
    case TruthFormat::rfcx: {
      const RfcxAnnotations tp = RfcxAnnotations::read(files.labels, RfcxKind::true_positives);
      if (!has_false_positives) return truth_from_rfcx(tp, nullptr);
      const RfcxAnnotations fp =
          RfcxAnnotations::read(files.rfcx_false_positives, RfcxKind::false_positives);
      return truth_from_rfcx(tp, &fp);
    }
  }
  CHORUS_DCHECK(false && "unhandled truth format");
  return {};
}

}  // namespace chorus::formats
