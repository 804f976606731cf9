#include "infer/run_folder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace chorus::infer {
namespace {

namespace fs = std::filesystem;

// The deepest folder all of `files` lie in.
fs::path common_folder(const std::vector<fs::path>& files) {
  fs::path common = files.front().parent_path();
  for (const fs::path& f : files) {
    fs::path shared;
    auto a = common.begin();
    auto b = f.parent_path().begin();
    for (; a != common.end() && b != f.parent_path().end() && *a == *b; ++a, ++b) shared /= *a;
    common = shared;
  }
  return common;
}

// Every file and folder a run writes into its --out.
constexpr const char* kRunFiles[] = {"submission.csv",      "detections.csv",   "detections.json",
                                     "species_summary.csv", "kaleidoscope.csv", "errors.csv",
                                     "budget.json",         "run.json"};
constexpr const char* kRunFolders[] = {"parts", "raven", "audacity"};

bool holds_parts(const fs::path& out_dir) {
  std::error_code error;
  return fs::is_directory(out_dir / "parts", error) && !fs::is_empty(out_dir / "parts", error);
}

}  // namespace

std::vector<std::string> recording_names(const std::vector<fs::path>& files) {
  std::map<std::string, std::vector<std::size_t>> by_stem;
  for (std::size_t i = 0; i < files.size(); ++i) by_stem[files[i].stem().string()].push_back(i);
  std::vector<std::string> names(files.size());
  for (const auto& [stem, indices] : by_stem) {
    if (indices.size() == 1) {
      names[indices.front()] = stem;
      continue;
    }
    // Absolute, so files given as "a/x.wav" and "/data/b/x.wav" still share a folder.
    std::vector<fs::path> group;
    for (std::size_t i : indices) group.push_back(fs::absolute(files[i]).lexically_normal());
    const fs::path root = common_folder(group);
    std::map<std::string, int> without_extension;
    for (const fs::path& f : group)
      ++without_extension[f.lexically_relative(root).replace_extension().generic_string()];
    for (std::size_t k = 0; k < indices.size(); ++k) {
      fs::path relative = group[k].lexically_relative(root);
      const std::string bare = fs::path(relative).replace_extension().generic_string();
      names[indices[k]] = without_extension[bare] > 1 ? relative.generic_string() : bare;
    }
  }
  return names;
}

fs::path part_path(const fs::path& out_dir, const std::string& name) {
  return out_dir / "parts" / (name + ".json");
}

void take_over_run_folder(const fs::path& out_dir, const RunManifest& manifest, bool resume) {
  const fs::path manifest_path = out_dir / "run.json";
  if (resume && holds_parts(out_dir)) {
    CHORUS_CHECK_AS(ConfigError, fs::exists(manifest_path),
                    "--resume: {} holds scores but no run.json saying which models and settings "
                    "made them; run without --resume to start over",
                    out_dir.string());
    const auto differences = manifest_differences(read_manifest(manifest_path), manifest);
    CHORUS_CHECK_AS(ConfigError, differences.empty(),
                    "--resume: {} was made with other models or settings; run without --resume "
                    "to start over, or into another --out: {}",
                    out_dir.string(), fmt::join(differences, "; "));
  } else if (!resume) {
    for (const char* file : kRunFiles) fs::remove(out_dir / file);
    for (const char* folder : kRunFolders) fs::remove_all(out_dir / folder);
  }
  fs::create_directories(out_dir / "parts");
  // What a killed run was writing when it died.
  for (const fs::path& dir : {out_dir, out_dir / "parts"}) core::remove_stale_temporaries(dir);
  write_manifest(manifest_path, manifest);
}

}  // namespace chorus::infer
