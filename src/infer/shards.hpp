#pragma once
// Scale-out: `chorus predict --shard i/n` runs on part i of n of the inputs, so n processes (a
// Slurm array, several machines) share a folder; `chorus merge` joins their submissions.
// Both sides use one canonical order — recordings by stem, chunks by end time — so n shards
// merged equal one run.

#include <filesystem>
#include <string>
#include <vector>

namespace chorus::infer {

struct Shard {
  int index = 0;  // 0-based
  int count = 1;
};

// "2/8" (1-based on the command line, as Slurm's SLURM_ARRAY_TASK_ID usually is) → {1, 8}.
Shard parse_shard(const std::string& text);

// The inputs of a shard: the canonical order, then every count-th file starting at index.
std::vector<std::filesystem::path> shard_inputs(std::vector<std::filesystem::path> files,
                                                Shard shard);

// Recordings in canonical order: by stem, then by path.
void sort_canonically(std::vector<std::filesystem::path>& files);

// Joins submission CSVs (same class columns) into one in canonical order; a row_id found twice
// or differing columns are errors naming the files.
void merge_submissions(const std::vector<std::filesystem::path>& parts,
                       const std::filesystem::path& out);

}  // namespace chorus::infer
