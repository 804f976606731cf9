#pragma once
// The output folder of a prediction run (chorus predict --out): the names recordings go by in
// it, where each one's saved part lives, and how a run takes over a folder.

#include <filesystem>
#include <string>
#include <vector>

#include "infer/run_manifest.hpp"

namespace chorus::infer {

// The name each recording's rows and files carry (row_id = <name>_<end second>): its stem,
// unless another of `files` shares that stem, as recorders name files by date and time
// (SITE_A/20190522_050000.wav, SITE_B/20190522_050000.wav). Those are named by their path below
// the deepest folder they share, '/'-separated, without the extension ("SITE_A/20190522_050000";
// with it when only the extension differs). Depends on all of `files`, so every shard of a run
// names alike.
std::vector<std::string> recording_names(const std::vector<std::filesystem::path>& files);

// <out>/parts/<name>.json: a finished recording's scores.
std::filesystem::path part_path(const std::filesystem::path& out_dir, const std::string& name);

// Makes `out_dir` this run's:
//   resume: a folder holding parts must have been made by a run of the same manifest (else a
//     ConfigError naming each difference; a folder with parts and no run.json is refused too);
//   otherwise: chorus's own files from an earlier run (the outputs, parts/, raven/, audacity/)
//     are removed, so no stale table of a recording no longer among the inputs survives; other
//     files are left alone.
// Then writes <out>/run.json.
void take_over_run_folder(const std::filesystem::path& out_dir, const RunManifest& manifest,
                          bool resume);

}  // namespace chorus::infer
