#pragma once
// Scale-out: `chorus predict --shard i/n` runs on part i of n of the inputs, so n processes (a
// Slurm array, several machines) share a folder of recordings, each writing its own --out;
// `chorus merge` joins their submissions. Both sides use one canonical order — recordings by
// name (run_folder.hpp), chunks by end time — so n shards merged equal one run.

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

// The positions a shard takes of `count` inputs in canonical order: every shard.count-th one
// starting at shard.index.
std::vector<std::size_t> shard_positions(std::size_t count, Shard shard);

// Recordings in canonical order: by stem, then by path.
void sort_canonically(std::vector<std::filesystem::path>& files);

// Joins submission CSVs (same class columns) into one in canonical order; a row_id found twice
// or differing columns are errors naming the files.
void merge_submissions(const std::vector<std::filesystem::path>& parts,
                       const std::filesystem::path& out);

}  // namespace chorus::infer
