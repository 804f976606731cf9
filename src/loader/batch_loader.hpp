#pragma once
// Training batches, prepared ahead by worker threads.
//
// Each epoch, the Sampler's items for this rank are cut into inputs (data.halves items each);
// workers build inputs (InputBuilder) up to options.prefetch_batches batches ahead of the
// consumer, and next() takes them in order, batch_size at a time, then mixes the batch
// (augment::mix_batch). With data.pseudo_use = mix, an input may first be mixed with a
// pseudo-labelled window (PseudoMixer). Every random draw of input g comes from a generator seeded
// by (seed, epoch, g's global position in the epoch), and the batch mixing from (seed, epoch,
// batch, rank), so batch k of epoch e is the same whatever the number of workers or the thread
// timing.
//
// A file that fails to read (corrupt, truncated, missing) is recorded once in failures() and all
// its inputs are skipped from that input on, in input order (so the skipping is deterministic
// too); the batch is filled from the next inputs. A pseudo-labelled window that fails does the
// same to the input it was drawn for. It is never fatal; other exceptions (bugs) are
// rethrown by next().

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "augment/background_noise.hpp"
#include "loader/batch.hpp"
#include "loader/input_builder.hpp"
#include "loader/pseudo_mixer.hpp"
#include "loader/sampler.hpp"

namespace chorus::loader {

struct LoadFailure {
  std::filesystem::path file;
  std::string message;
};

struct LoaderOptions {
  int batch_size = 32;       // inputs per batch on this rank
  int workers = 2;           // threads building inputs; 0: built by next() in the caller's thread
  int prefetch_batches = 4;  // batches the workers may run ahead of the consumer
  bool drop_last = true;     // an epoch's last, partial batch is dropped
  std::uint64_t seed = 0;
  int rank = 0, world_size = 1;  // data-parallel training: this process's shard (see Sampler)
};

class BatchLoader {
 public:
  // `train_items` index dataset.items. `cache` (may be null) is used when no waveform
  // augmentation is on, and must then hold every dataset file.
  BatchLoader(const data::Dataset& dataset, std::vector<std::size_t> train_items,
              const audio::AudioConfig& audio, const features::FeatureConfig& features,
              const data::DataConfig& data, const augment::AugmentConfig& augment,
              LoaderOptions options, const features::FeatureStore* cache = nullptr);
  ~BatchLoader();
  BatchLoader(const BatchLoader&) = delete;
  BatchLoader& operator=(const BatchLoader&) = delete;

  // Starts (or restarts) epoch `epoch`: workers begin preparing its first batches.
  void start_epoch(int epoch);
  // The next batch of the epoch; nullopt when it is over.
  std::optional<Batch> next();
  // Batches of a full epoch (fewer when inputs are skipped for failed files).
  std::size_t batches_per_epoch() const;
  // Seconds next() spent waiting for inputs in this epoch (building them, with 0 workers).
  double wait_seconds() const { return wait_seconds_; }
  // Files that failed to read, in the order they were found, each once.
  const std::vector<LoadFailure>& failures() const { return failures_; }

 private:
  // What a worker leaves for input i.
  struct Slot {
    std::optional<Input> input;
    std::optional<InputFailure> failure;
    std::exception_ptr bug;
    bool skipped = false;  // its file had failed before it
  };

  void stop_workers();
  void worker_loop();
  Slot build_slot(std::size_t input) const;
  // The slot of input `cursor_`, waiting for a worker (or building it with 0 workers).
  Slot take_next_slot();
  // Whether a file of input `input` is marked failed; under mutex_ (or with no workers).
  bool is_failed(std::size_t input) const;

  const data::Dataset& dataset_;
  LoaderOptions options_;
  PseudoMixer mixer_;  // before sampler_: it decides which items are sampled
  Sampler sampler_;
  std::unique_ptr<augment::BackgroundNoise> background_;
  InputBuilder builder_;
  augment::AugmentConfig augment_;

  int epoch_ = -1;
  std::vector<std::size_t> epoch_items_;  // halves per input
  std::size_t inputs_ = 0;
  std::size_t batch_index_ = 0;
  bool finished_ = true;
  double wait_seconds_ = 0;
  std::vector<LoadFailure> failures_;

  // Shared with the workers, under mutex_.
  std::mutex mutex_;
  std::condition_variable produced_, consumed_;
  std::vector<Slot> slots_;
  std::vector<bool> slot_ready_;
  std::vector<char> failed_files_;  // per dataset file
  std::size_t next_claim_ = 0;
  std::size_t cursor_ = 0;  // next input next() takes
  bool stop_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace chorus::loader
