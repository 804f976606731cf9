#include "train/trainer.hpp"

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/types.h>

#include <chrono>
#include <cmath>
#include <optional>

#include "core/atomic_file.hpp"
#include "core/config_file.hpp"
#include "core/error.hpp"
#include "core/progress_sink.hpp"
#include "data/folds.hpp"
#include "graph/precision.hpp"
#include "infer/network_scorer.hpp"
#include "loader/batch_loader.hpp"
#include "models/checkpoint.hpp"
#include "models/network.hpp"
#include "models/pretrained_weights.hpp"
#include "models/state_dict.hpp"
#include "runtime/autocast.hpp"
#include "runtime/channels_last.hpp"
#include "runtime/inference_optimizer.hpp"
#include "runtime/torch_threads.hpp"
#include "train/class_weights.hpp"
#include "train/distributed.hpp"
#include "train/ema.hpp"
#include "train/initial_weights.hpp"
#include "train/losses.hpp"
#include "train/lr_schedule.hpp"
#include "train/optimizer.hpp"
#include "train/train_log.hpp"
#include "train/training_state.hpp"
#include "train/validator.hpp"

namespace chorus::train {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The epoch's LibTorch seed: dropout and stochastic depth draw the same numbers whether the run
// went through without stopping or resumed at this epoch.
std::uint64_t epoch_seed(std::uint64_t seed, int epoch) {
  return seed * 1000003ULL + static_cast<std::uint64_t>(epoch);
}

// Per-class loss weights from train.class_weights, or an undefined tensor.
torch::Tensor class_weights(const TrainConfig& config, const std::vector<std::string>& classes) {
  return config.class_weights.empty() ? torch::Tensor()
                                      : read_class_weights(config.class_weights, classes);
}

torch::Tensor as_tensor(std::vector<float>& values, torch::IntArrayRef shape) {
  return torch::from_blob(values.data(), shape);  // the batch outlives the step
}

// Every method of the base observer shows nothing.
TrainObserver& silent_observer() {
  static TrainObserver silent;
  return silent;
}

class Run {
 public:
  explicit Run(const TrainSetup& setup);
  TrainResult go();

 private:
  void restore();
  double train_epoch(int epoch, EpochRecord& record);
  // Validation metrics of each network by name, from one pass over the validation set.
  std::map<std::string, ValidationMetrics> validate(
      const std::map<std::string, std::shared_ptr<models::NetworkImpl>>& networks) const;
  void write_checkpoint(const std::filesystem::path& path,
                        const models::NetworkImpl& network) const;
  void report_load_failures();
  bool leader() const { return s_.distributed == nullptr || s_.distributed->rank() == 0; }

  const TrainSetup& s_;
  TrainObserver& observer_;  // the setup's, or one that shows nothing
  const TrainConfig& c_;
  std::vector<std::string> classes_;
  std::string fold_digest_;  // of the dataset, with a held-out fold: the same every checkpoint
  std::shared_ptr<models::NetworkImpl> network_;
  std::shared_ptr<models::NetworkImpl> ema_network_;  // the EMA weights, for validation
  std::unique_ptr<torch::optim::AdamW> optimizer_;
  std::optional<ModelEma> ema_;
  std::unique_ptr<Loss> loss_;
  std::unique_ptr<loader::BatchLoader> loader_;
  std::optional<Validator> validator_;
  TrainingState state_;
  std::filesystem::path state_path_;
  bool resuming_ = false;  // --resume, and a saved state to resume from
  bool bf16_ = false;      // forward passes under bf16 autocast (train.precision, resolved)
  // Validation's scoring: infer.precision where an eager network can take it (fp32, bf16 under
  // autocast); int8 needs a model calibrated after training, so it validates in fp32.
  graph::Precision validation_precision_ = graph::Precision::fp32;
  std::size_t failures_reported_ = 0;
  bool validation_failures_reported_ = false;
};

Run::Run(const TrainSetup& setup)
    : s_(setup),
      observer_(setup.observer != nullptr ? *setup.observer : silent_observer()),
      c_(setup.config.train),
      classes_(setup.dataset.classes.names()),
      fold_digest_(setup.held_out_fold >= 0 ? data::fold_digest(setup.dataset) : std::string()) {
  const ExperimentConfig& config = s_.config;
  CHORUS_CHECK_AS(ConfigError, config.model.num_classes == static_cast<int>(classes_.size()),
                  "model.num_classes = {} but the dataset has {} classes", config.model.num_classes,
                  classes_.size());
  CHORUS_CHECK_AS(ConfigError, !s_.train_items.empty(),
                  "no training items (every item is held out?)");
  state_path_ = s_.out_dir / "train_state.safetensors";
  CHORUS_CHECK_AS(
      IoError, s_.resume || !std::filesystem::exists(state_path_),
      "{} already holds a training run: --resume to continue it, or choose another --out",
      s_.out_dir.string());
  // A run killed before its first state was saved (during the first epoch, or between its
  // checkpoints and its state) has nothing to resume: it starts over, and says so.
  resuming_ = s_.resume && std::filesystem::exists(state_path_);
  if (leader()) {
    if (s_.resume && !resuming_)
      observer_.warning(fmt::format(
          "{}: no training state to resume from (the run stopped before its first epoch was "
          "saved); starting from epoch 1",
          state_path_.string()));
    if (std::filesystem::is_directory(s_.out_dir)) core::remove_stale_temporaries(s_.out_dir);
  }

  bf16_ =
      graph::resolve_precision(c_.precision, "train.precision").precision == graph::Precision::bf16;
  if (config.infer.precision != graph::Precision::int8)
    validation_precision_ = graph::resolve_precision(config.infer.precision).precision;
  torch::manual_seed(c_.seed);
  network_ = models::create_network(config.model);
  if (!c_.pretrained.empty()) {
    const models::StateDictReport report = models::load_pretrained(
        network_->backbone(), config.model, models::read_safetensors(c_.pretrained).tensors);
    if (leader() && !(report.unexpected.empty() && report.replaced.empty()))
      observer_.note(fmt::format("pretrained {}: not used: {}", c_.pretrained, report.describe()));
  }
  // A resumed run takes its weights from its state, so the starting model is read only once.
  if (!c_.init_from.empty() && !resuming_) {
    const InitialWeights initial =
        load_initial_weights(*network_, config, classes_,
                             initial_checkpoint(c_.init_from, s_.held_out_fold), s_.held_out_fold);
    if (leader()) {
      observer_.note("starting from " + initial.checkpoint.string());
      if (!initial.caution.empty()) observer_.warning(initial.caution);
    }
  }
  // The SiLUs on chorus's kernels, forward and backward (models::FastSiLU): LibTorch's own
  // converts bf16 one element at a time (EfficientNet-B0's bf16 epoch 1.28× faster, float32's
  // unchanged within noise; BENCHMARKS.md, "Training in bf16").
  runtime::replace_silus(*network_);
  if (s_.distributed != nullptr) s_.distributed->broadcast_parameters(*network_);
  // Before the optimiser exists: its moments are made in the parameters' layout.
  if (c_.channels_last) runtime::convert_to_channels_last(*network_);
  optimizer_ = make_optimizer(*network_, c_);
  if (c_.ema_decay > 0) {
    ema_.emplace(*network_, c_.ema_decay);
    ema_network_ = models::create_network(config.model);
  }
  loss_ = make_loss(c_, class_weights(c_, classes_));

  loader::LoaderOptions options;
  options.batch_size = c_.batch_size;
  options.workers = c_.workers;
  options.seed = c_.seed;
  if (s_.distributed != nullptr) {
    options.rank = s_.distributed->rank();
    options.world_size = s_.distributed->world_size();
  }
  loader_ = std::make_unique<loader::BatchLoader>(s_.dataset, s_.train_items, config.audio,
                                                  config.features, config.data, config.augment,
                                                  options, s_.cache);
  CHORUS_CHECK_AS(ConfigError, loader_->batches_per_epoch() > 0,
                  "{} training items make no full batch of train.batch_size = {}",
                  s_.train_items.size(), c_.batch_size);
  if (!s_.validation_items.empty() && leader()) {
    infer::PredictorOptions predictor;
    predictor.infer = config.infer;
    predictor.postprocess = config.postprocess;
    predictor.threads = s_.threads;
    validator_.emplace(ValidationSet::from_items(s_.dataset, s_.validation_items), predictor);
  }
  state_.best_score = std::nan("");
  state_.config = config.to_toml();
  if (resuming_) restore();
}

void Run::restore() {
  TrainingState saved = TrainingState::read(state_path_);
  // A state saved by an earlier chorus lacks the keys added since. Read with their defaults (what
  // that chorus did), it is compared as the configuration it stands for, not as text.
  ExperimentConfig saved_config;
  core::ConfigSections sections;
  saved_config.bind(sections);
  sections.load_text(saved.config, state_path_.string());
  CHORUS_CHECK_AS(
      ConfigError, saved_config.to_toml() == state_.config,
      "{}: the run was started with another configuration (see {}); resume it with the same "
      "configuration",
      state_path_.string(), (s_.out_dir / "config.toml").string());
  models::load_state_dict(*network_, saved.model, state_path_.string());
  load_optimizer_state(*optimizer_, *network_, saved.optimizer);
  if (ema_) ema_->load_state(saved.ema);
  state_ = std::move(saved);
  state_.model.clear();
  state_.optimizer.clear();
  state_.ema.clear();
}

double Run::train_epoch(int epoch, EpochRecord& record) {
  torch::manual_seed(epoch_seed(c_.seed, epoch));
  network_->train();
  loader_->start_epoch(epoch);
  const auto steps_per_epoch = static_cast<std::int64_t>(loader_->batches_per_epoch());
  const auto progress =
      core::start_task(observer_.progress(), fmt::format("epoch {}/{}", epoch, c_.epochs),
                       loader_->batches_per_epoch(), "batches");
  double loss_sum = 0;
  std::size_t batches = 0, samples = 0;
  const auto start = Clock::now();
  while (std::optional<loader::Batch> batch = loader_->next()) {
    const std::int64_t n = batch->size;
    LossInputs in;
    const double lr = learning_rate_at(c_, state_.step, steps_per_epoch);
    set_learning_rate(*optimizer_, lr);
    optimizer_->zero_grad();
    torch::Tensor input = as_tensor(batch->inputs, {n, 1, batch->n_mels, batch->frames});
    if (c_.channels_last) input = runtime::channels_last(input);
    models::NetworkOutput out;
    {
      const runtime::CpuAutocast autocast(bf16_);
      out = network_->forward_output(input);
    }
    // The loss in float32 (bf16 outputs under autocast).
    const auto float32 = [](const torch::Tensor& t) {
      return t.defined() ? t.to(torch::kFloat32) : t;
    };
    in.logits = float32(out.logits);
    in.clip_probabilities = float32(out.clip_probabilities);
    in.frame_probabilities = float32(out.frame_probabilities);
    in.targets = as_tensor(batch->targets, {n, batch->classes});
    in.mask = as_tensor(batch->masks, {n, batch->classes});
    in.sample_weights = as_tensor(batch->weights, {n});
    const torch::Tensor loss = (*loss_)(in);
    const double value = loss.item<double>();
    CHORUS_CHECK(std::isfinite(value),
                 "the {} loss became {} at epoch {}, step {} (learning rate {:g}); "
                 "lower train.lr or set train.grad_clip",
                 loss_->name(), value, epoch, state_.step, lr);
    loss.backward();
    if (s_.distributed != nullptr) s_.distributed->average_gradients(*network_);
    if (c_.grad_clip > 0) torch::nn::utils::clip_grad_norm_(network_->parameters(), c_.grad_clip);
    optimizer_->step();
    if (ema_) ema_->update(*network_);
    ++state_.step;
    loss_sum += value;
    ++batches;
    samples += static_cast<std::size_t>(n);
    record.learning_rate = lr;
    progress->set_note(fmt::format("loss {:.4f}", loss_sum / static_cast<double>(batches)));
    progress->advance();
  }
  progress->finish();
  // Every file failed to load (a folder of damaged recordings): stop before a checkpoint of
  // untrained weights is written.
  const std::vector<loader::LoadFailure>& failed = loader_->failures();
  CHORUS_CHECK_AS(FormatError, batches > 0,
                  "no training batch could be made: {} of the {} recordings failed to load; "
                  "first: {}",
                  failed.size(), s_.dataset.files.size(),
                  failed.empty() ? "none (too few items for a batch)" : failed.front().message);
  const double seconds = seconds_since(start);
  record.data_wait_seconds = loader_->wait_seconds();
  record.samples_per_second = seconds > 0 ? static_cast<double>(samples) / seconds : 0;
  double mean = batches > 0 ? loss_sum / static_cast<double>(batches) : std::nan("");
  if (s_.distributed != nullptr) mean = s_.distributed->average(mean);
  return mean;
}

std::map<std::string, ValidationMetrics> Run::validate(
    const std::map<std::string, std::shared_ptr<models::NetworkImpl>>& networks) const {
  // Recordings run in parallel, one per thread: each forward pass single-threaded.
  const int threads = at::get_num_threads();
  runtime::set_torch_threads(1);
  std::map<std::string, std::shared_ptr<infer::WindowScorer>> scorers;
  for (const auto& [name, network] : networks) {
    network->eval();
    scorers.emplace(
        name, std::make_shared<infer::NetworkScorer>(network, s_.config.audio, s_.config.features,
                                                     classes_, validation_precision_));
  }
  auto metrics = validator_->run(scorers);
  for (const auto& [name, network] : networks) network->train();
  runtime::set_torch_threads(threads);
  return metrics;
}

void Run::write_checkpoint(const std::filesystem::path& path,
                           const models::NetworkImpl& network) const {
  models::Checkpoint checkpoint{s_.config.model, s_.config.audio, s_.config.features, classes_,
                                models::state_dict(network)};
  if (s_.held_out_fold >= 0) {
    checkpoint.held_out_fold = s_.held_out_fold;
    checkpoint.fold_digest = fold_digest_;
  }
  checkpoint.names = s_.dataset.names;
  checkpoint.write(path);
}

// Recordings that failed to load are skipped by the loader; say so once each.
void Run::report_load_failures() {
  const auto& failures = loader_->failures();
  for (; failures_reported_ < failures.size(); ++failures_reported_)
    observer_.warning("skipped in training: " + failures[failures_reported_].message);
}

TrainResult Run::go() {
  TrainResult result;
  result.best_checkpoint = s_.out_dir / "best.ckpt";
  result.last_checkpoint = s_.out_dir / "last.ckpt";
  TrainLog log(s_.out_dir / "train_log.jsonl", resuming_, state_.epochs_done);
  const BestMetric metric = c_.best_metric;
  const int last_epoch = s_.stop_after_epochs > 0
                             ? std::min(c_.epochs, state_.epochs_done + s_.stop_after_epochs)
                             : c_.epochs;
  for (int epoch = state_.epochs_done + 1; epoch <= last_epoch; ++epoch) {
    const auto start = Clock::now();
    EpochRecord record;
    record.epoch = epoch;
    record.train_loss = train_epoch(epoch, record);
    record.step = state_.step;
    if (leader()) {
      const bool validate_now =
          validator_ && (epoch % c_.validate_every == 0 || epoch == c_.epochs);
      double score = metric == BestMetric::loss ? record.train_loss : std::nan("");
      const models::NetworkImpl* best_weights = network_.get();
      if (ema_) ema_->copy_to(*ema_network_);
      if (validate_now) {
        std::map<std::string, std::shared_ptr<models::NetworkImpl>> networks = {
            {"model", network_}};
        if (ema_) networks.emplace("ema", ema_network_);
        auto metrics = validate(networks);
        record.validation = metrics.at("model");
        if (!validation_failures_reported_)
          for (const std::string& failure : record.validation->failures)
            observer_.warning("not validated: " + failure);
        validation_failures_reported_ = true;
        if (metric != BestMetric::loss) score = record.validation->get(metric);
        if (ema_) {
          record.validation_ema = metrics.at("ema");
          if (metric != BestMetric::loss &&
              is_better(record.validation_ema->get(metric), score, metric)) {
            score = record.validation_ema->get(metric);
            best_weights = ema_network_.get();
          }
        }
      }
      // Without validation there is nothing to choose by: the latest weights are the best.
      record.best = !validator_ || is_better(score, state_.best_score, metric);
      write_checkpoint(result.last_checkpoint, *network_);
      if (record.best) {
        write_checkpoint(result.best_checkpoint, *best_weights);
        state_.best_score = score;
        state_.best_epoch = epoch;
      }
      record.seconds = seconds_since(start);
      log.append(record);
      state_.epochs_done = epoch;
      state_.model = models::state_dict(*network_);
      state_.optimizer = optimizer_state(*optimizer_, *network_);
      if (ema_) state_.ema = ema_->state();
      state_.write(state_path_);
      state_.model.clear();
      state_.optimizer.clear();
      state_.ema.clear();
      observer_.epoch_finished(record, log.records(), c_.epochs);
      report_load_failures();
    }
    state_.epochs_done = epoch;
    if (s_.distributed != nullptr) s_.distributed->barrier();
  }
  result.epochs_done = state_.epochs_done;
  result.best_epoch = state_.best_epoch;
  result.best_score = state_.best_score;
  for (const auto& failure : loader_->failures()) result.load_failures.push_back(failure.message);
  return result;
}

}  // namespace

TrainResult train(const TrainSetup& setup) {
  runtime::set_torch_threads(setup.threads);
  Run run(setup);
  return run.go();
}

}  // namespace chorus::train
