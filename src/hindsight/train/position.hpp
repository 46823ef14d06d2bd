#pragma once
// Where the training loop is, for the one-line NaN/Inf messages ("epoch 3 cycle 12 update 7").
#include <string>

namespace hindsight::train {

struct Position {
  const char* what = "start";  // "episode", "update", "test episode", "normalizer warm-up episode", ...
  int epoch = 0, cycle = 0, index = 0;  // counted from 1; 0 = outside the epochs / cycles
  // e.g. "epoch 3 cycle 12 update 7", "epoch 3 test episode 2", "demonstration episode 4".
  std::string describe() const;
};

}  // namespace hindsight::train
