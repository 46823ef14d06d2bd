#pragma once
// The config table as data: every key of HINDSIGHT_TRAIN_CONFIG_FIELDS (io/config.hpp) as a Field that
// parses a raw value into its TrainConfig member, checks its range rule and formats it as YAML. Parsing
// (YAML files and key=value), validate(), `train --help` and the written config.yaml all go through it.
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "hindsight/io/config.hpp"

namespace hindsight::config_schema {

// A value before it is typed: a scalar (YAML scalar or override text), a list of scalars, or a mapping
// (always an error, kept so the message can say what was found).
struct Raw {
  enum class Kind { scalar, list, mapping };
  Kind kind = Kind::scalar;
  std::string text;                // Kind::scalar
  std::vector<std::string> items;  // Kind::list
};

// A bad value for one key, without its location; callers prefix "FILE:LINE: " or "override '...': ".
class FieldError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One key of the config table, type-erased so that every key is handled by the same code.
struct Field {
  std::string name;
  std::string type;  // as shown by --help
  std::string doc;
  std::function<void(TrainConfig&, const Raw&)> set;          // parse into the member; throws FieldError
  std::function<void(const TrainConfig&)> check;              // range rule; throws FieldError
  std::function<std::string(const TrainConfig&)> yaml_value;  // the member's value as YAML text
};

// Every key, in the table's order.
const std::vector<Field>& schema();
// The field named key; null when there is none.
const Field* find_field(const std::string& key);
// s without leading and trailing white space.
std::string_view trim(std::string_view s);
// A double in its shortest round-trip form, as config.yaml writes it.
std::string format_double(double v);

}  // namespace hindsight::config_schema
