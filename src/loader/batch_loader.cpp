#include "loader/batch_loader.hpp"

#include <algorithm>
#include <chrono>

#include "augment/batch_mixing.hpp"
#include "core/error.hpp"

namespace chorus::loader {
namespace {

std::mt19937_64 seeded(std::uint64_t seed, std::uint32_t tag, int epoch, std::uint64_t index,
                       int rank) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed),
                    static_cast<std::uint32_t>(seed >> 32),
                    tag,
                    static_cast<std::uint32_t>(epoch),
                    static_cast<std::uint32_t>(index),
                    static_cast<std::uint32_t>(index >> 32),
                    static_cast<std::uint32_t>(rank)};
  return std::mt19937_64(seq);
}

constexpr std::uint32_t kInputTag = 0x494e5054;  // "INPT"
constexpr std::uint32_t kBatchTag = 0x42415443;  // "BATC"

const LoaderOptions& checked(const LoaderOptions& o) {
  CHORUS_CHECK_AS(ConfigError, o.batch_size >= 1, "batch size {}: expected ≥ 1", o.batch_size);
  CHORUS_CHECK_AS(ConfigError, o.workers >= 0, "loader workers {}: expected ≥ 0", o.workers);
  CHORUS_CHECK_AS(ConfigError, o.prefetch_batches >= 1, "prefetch batches {}: expected ≥ 1",
                  o.prefetch_batches);
  return o;
}

std::unique_ptr<augment::BackgroundNoise> load_background(const augment::AugmentConfig& augment,
                                                          const audio::AudioConfig& audio) {
  augment.validate();
  if (augment.background_p <= 0) return nullptr;
  return std::make_unique<augment::BackgroundNoise>(augment.background_dir, audio);
}

}  // namespace

BatchLoader::BatchLoader(const data::Dataset& dataset, std::vector<std::size_t> train_items,
                         const audio::AudioConfig& audio, const features::FeatureConfig& features,
                         const data::DataConfig& data, const augment::AugmentConfig& augment,
                         LoaderOptions options, const features::FeatureStore* cache)
    : dataset_(dataset),
      options_(checked(options)),
      mixer_(dataset, train_items, data, augment),
      sampler_(dataset, mixer_.sampled_items(), data, options.seed, options.rank,
               options.world_size),
      background_(load_background(augment, audio)),
      builder_(dataset, audio, features, data, augment, cache, background_.get()),
      augment_(augment),
      failed_files_(dataset.files.size(), 0) {}

BatchLoader::~BatchLoader() { stop_workers(); }

std::size_t BatchLoader::batches_per_epoch() const {
  const std::size_t inputs = sampler_.inputs_per_epoch(),
                    b = static_cast<std::size_t>(options_.batch_size);
  return options_.drop_last ? inputs / b : (inputs + b - 1) / b;
}

void BatchLoader::stop_workers() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  produced_.notify_all();
  consumed_.notify_all();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
  stop_ = false;
}

void BatchLoader::start_epoch(int epoch) {
  stop_workers();
  epoch_ = epoch;
  epoch_items_ = sampler_.epoch(epoch);
  inputs_ = epoch_items_.size() / static_cast<std::size_t>(sampler_.halves());
  batch_index_ = 0;
  finished_ = false;
  wait_seconds_ = 0;
  slots_.assign(inputs_, Slot{});
  slot_ready_.assign(inputs_, false);
  next_claim_ = 0;
  cursor_ = 0;
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { worker_loop(); });
}

bool BatchLoader::is_failed(std::size_t input) const {
  const auto halves = static_cast<std::size_t>(sampler_.halves());
  for (std::size_t h = 0; h < halves; ++h)
    if (failed_files_[dataset_.items[epoch_items_[input * halves + h]].file]) return true;
  return false;
}

BatchLoader::Slot BatchLoader::build_slot(std::size_t input) const {
  Slot slot;
  try {
    const auto halves = static_cast<std::size_t>(sampler_.halves());
    std::mt19937_64 rng = seeded(options_.seed, kInputTag, epoch_, sampler_.global_input(input), 0);
    Input built =
        builder_.build(std::span(epoch_items_).subspan(input * halves, halves), rng, slot.failure);
    if (slot.failure) return slot;
    if (const std::vector<std::size_t> partner = mixer_.draw(rng); !partner.empty()) {
      const Input window = builder_.build(partner, rng, slot.failure);
      if (slot.failure) return slot;
      mixer_.mix(built, window, rng);
    }
    slot.input = std::move(built);
  } catch (...) {
    slot.bug = std::current_exception();
  }
  return slot;
}

void BatchLoader::worker_loop() {
  const std::size_t ahead = static_cast<std::size_t>(options_.prefetch_batches) *
                            static_cast<std::size_t>(options_.batch_size);
  std::unique_lock lock(mutex_);
  while (true) {
    consumed_.wait(
        lock, [&] { return stop_ || next_claim_ >= inputs_ || next_claim_ < cursor_ + ahead; });
    if (stop_ || next_claim_ >= inputs_) return;
    const std::size_t input = next_claim_++;
    // Failures are marked by the consumer in input order, so any mark seen here is from an
    // earlier input: the consumer would skip this one anyway.
    Slot slot;
    if (is_failed(input)) {
      slot.skipped = true;
    } else {
      lock.unlock();
      slot = build_slot(input);
      lock.lock();
    }
    slots_[input] = std::move(slot);
    slot_ready_[input] = true;
    produced_.notify_all();
  }
}

BatchLoader::Slot BatchLoader::take_next_slot() {
  const auto start = std::chrono::steady_clock::now();
  Slot slot;
  if (workers_.empty()) {
    if (is_failed(cursor_))
      slot.skipped = true;
    else
      slot = build_slot(cursor_);
    ++cursor_;
  } else {
    std::unique_lock lock(mutex_);
    produced_.wait(lock, [&] { return slot_ready_[cursor_]; });
    slot = std::move(slots_[cursor_]);
    slots_[cursor_] = Slot{};
    ++cursor_;
  }
  consumed_.notify_all();
  wait_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return slot;
}

std::optional<Batch> BatchLoader::next() {
  CHORUS_CHECK(epoch_ >= 0, "BatchLoader::next() before start_epoch()");
  if (finished_) return std::nullopt;
  const auto size = static_cast<std::size_t>(options_.batch_size);
  const auto halves = static_cast<std::size_t>(sampler_.halves());
  std::vector<features::Spectrogram> inputs;
  std::vector<data::Target> targets;
  std::vector<std::size_t> items;
  while (inputs.size() < size && cursor_ < inputs_) {
    const std::size_t input = cursor_;
    Slot slot = take_next_slot();
    if (slot.bug) std::rethrow_exception(slot.bug);
    if (slot.failure) {
      std::lock_guard lock(mutex_);
      if (!failed_files_[slot.failure->file]) {
        failed_files_[slot.failure->file] = 1;
        failures_.push_back({dataset_.files[slot.failure->file], slot.failure->message});
      }
      continue;
    }
    bool skip = slot.skipped;
    if (!skip) {
      std::lock_guard lock(mutex_);
      skip = is_failed(input);  // built before its file was found bad at an earlier input
    }
    if (skip) continue;
    inputs.push_back(std::move(slot.input->spectrogram));
    targets.push_back(std::move(slot.input->target));
    items.insert(items.end(), epoch_items_.begin() + static_cast<std::ptrdiff_t>(input * halves),
                 epoch_items_.begin() + static_cast<std::ptrdiff_t>((input + 1) * halves));
  }
  if (cursor_ >= inputs_) finished_ = true;
  if (inputs.empty() || (inputs.size() < size && options_.drop_last)) {
    finished_ = true;
    return std::nullopt;
  }
  std::mt19937_64 rng = seeded(options_.seed, kBatchTag, epoch_, batch_index_++, options_.rank);
  augment::mix_batch(inputs, targets, augment_, rng);

  Batch batch;
  batch.size = static_cast<int>(inputs.size());
  batch.n_mels = builder_.n_mels();
  batch.frames = builder_.frames();
  batch.classes = static_cast<int>(dataset_.classes.size());
  batch.inputs.reserve(inputs.size() * inputs.front().values.size());
  for (const auto& s : inputs)
    batch.inputs.insert(batch.inputs.end(), s.values.begin(), s.values.end());
  for (const auto& t : targets) {
    batch.targets.insert(batch.targets.end(), t.values.begin(), t.values.end());
    batch.masks.insert(batch.masks.end(), t.mask.begin(), t.mask.end());
    batch.weights.push_back(t.weight);
  }
  batch.items = std::move(items);
  return batch;
}

}  // namespace chorus::loader
