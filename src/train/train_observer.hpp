#pragma once
// What a training run reports as it goes; the program decides what is printed and drawn (the
// library never prints). Every method has a default that shows nothing, so an observer overrides
// only what it shows, and a run without one is silent.

#include <string>
#include <vector>

#include "core/progress_sink.hpp"
#include "train/train_log.hpp"

namespace chorus::train {

class TrainObserver {
 public:
  virtual ~TrainObserver() = default;
  // Where each epoch's batches are counted (null: nowhere).
  virtual core::ProgressSink* progress() { return nullptr; }
  // An epoch is over and saved: `records` is the run's log so far, `record` its last entry.
  virtual void epoch_finished(const EpochRecord& record, const std::vector<EpochRecord>& records,
                              int epochs) {}
  // Something worth knowing that changes nothing (pretrained weights left partly unused).
  virtual void note(const std::string& message) {}
  // Something that went wrong without stopping the run (a recording skipped or not validated).
  virtual void warning(const std::string& message) {}
};

}  // namespace chorus::train
