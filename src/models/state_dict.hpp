#pragma once
// A module's parameters and buffers by dotted name (PyTorch's state_dict), and loading one into
// a module with PyTorch's strict check made readable: what is missing, what is unexpected and
// what has the wrong shape, all at once rather than the first failure.

#include <torch/nn/module.h>

#include <string>
#include <vector>

#include "models/safetensors.hpp"

namespace chorus::models {

// Parameters and buffers, as torch.nn.Module.state_dict() names them (the tensors are the
// module's own, not copies).
TensorMap state_dict(const torch::nn::Module& module);

struct StateDictReport {
  std::vector<std::string> missing;     // in the module, not in the file
  std::vector<std::string> unexpected;  // in the file, not in the module
  std::vector<std::string> mis_shaped;  // "name: file [a, b] vs model [c, d]"
  // load_pretrained: the classifier's tensors left freshly initialised (another class count).
  std::vector<std::string> replaced;

  bool fits() const { return missing.empty() && mis_shaped.empty(); }
  // One line, grouped by problem ("2 missing keys: a, b; 1 mis-shaped key: …"), the first few
  // names of each; empty when there is none.
  std::string describe() const;
};

// Compares without loading.
StateDictReport compare_state_dict(const torch::nn::Module& module, const TensorMap& tensors);
// The same between two sets of named tensors: `own` plays the module.
StateDictReport compare_state_dict(const TensorMap& own, const TensorMap& tensors);

// Copies every tensor of `tensors` into the module's parameter or buffer of the same name.
// A ModelError naming `source` (the file the tensors came from) with describe() when anything is
// missing or mis-shaped, before anything is copied; unexpected keys are tolerated and returned in
// the report for the caller to show.
StateDictReport load_state_dict(torch::nn::Module& module, const TensorMap& tensors,
                                const std::string& source = {});

}  // namespace chorus::models
