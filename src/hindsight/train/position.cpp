#include "hindsight/train/position.hpp"

namespace hindsight::train {

std::string Position::describe() const {
  const std::string n = std::string(what) + " " + std::to_string(index);
  if (epoch == 0) return n;
  if (cycle == 0) return "epoch " + std::to_string(epoch) + " " + n;
  return "epoch " + std::to_string(epoch) + " cycle " + std::to_string(cycle) + " " + n;
}

}  // namespace hindsight::train
