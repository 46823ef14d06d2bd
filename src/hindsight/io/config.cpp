#include "hindsight/io/config.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <sstream>
#include <string_view>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"

namespace hindsight {
namespace {

// ---- raw values ------------------------------------------------------------------------------------

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

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

[[noreturn]] void type_error(const std::string& key, const std::string& expects, const std::string& got) {
  throw FieldError("key '" + key + "' expects " + expects + ", got " + got);
}

// The text of a scalar; a list or mapping where a scalar belongs is a type error.
const std::string& scalar_text(const std::string& key, const Raw& raw, const std::string& expects) {
  if (raw.kind == Raw::Kind::list) type_error(key, expects, "a list");
  if (raw.kind == Raw::Kind::mapping) type_error(key, expects, "a mapping");
  return raw.text;
}

// ---- typed values: parse from Raw, format as YAML ---------------------------------------------------

std::optional<double> to_double(std::string_view s) {
  s = trim(s);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Accepts integral values in float notation too ("1e6", "5.0"): baselines configs write int(1e6).
template <class I>
std::optional<I> to_integer(std::string_view s) {
  s = trim(s);
  I v{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && end == s.data() + s.size()) return v;
  const auto d = to_double(s);
  const double lo = static_cast<double>(std::numeric_limits<I>::min());
  const double hi = std::ldexp(1.0, std::numeric_limits<I>::digits);  // exclusive; exact as a double
  if (!d || *d != std::floor(*d) || *d < lo || *d >= hi) return std::nullopt;
  return static_cast<I>(*d);
}

// Shortest text that parses back to the same double; "1e-05" becomes "1.0e-05" so that YAML 1.1
// readers (PyYAML, used by many plotting scripts) see a float rather than a string.
std::string format_double(double v) {
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  std::string s(buf.data(), end);
  const auto e = s.find('e');
  if (e != std::string::npos && s.find('.') == std::string::npos) s.insert(e, ".0");
  return s;
}

// YAML double-quoted string, so that any text ("", "yes", "a: b", "123") reads back as the same string.
std::string quote(const std::string& s) {
  std::string q = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      q += '\\';
      q += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      static const char* hex = "0123456789abcdef";
      q += "\\x";
      q += hex[(c >> 4) & 0xf];
      q += hex[c & 0xf];
    } else {
      q += c;
    }
  }
  return q + "\"";
}

template <class E>
struct EnumNames;
template <>
struct EnumNames<HerStrategy> {
  static constexpr std::array<const char*, 3> names = {"future", "final", "none"};
};
template <>
struct EnumNames<NormInit> {
  static constexpr std::array<const char*, 3> names = {"warmup", "file", "off"};
};
template <>
struct EnumNames<NanPolicy> {
  static constexpr std::array<const char*, 2> names = {"stop", "skip"};
};

// Parse/format/type-name for each C++ type that appears in the config table.
template <class T>
struct Codec;

template <class I>
struct IntCodec {
  static I parse(const std::string& key, const Raw& raw, const std::string& expects) {
    const std::string& text = scalar_text(key, raw, expects);
    const auto v = to_integer<I>(text);
    if (!v) type_error(key, expects, "'" + text + "'");
    return *v;
  }
  static std::string format(I v) { return std::to_string(v); }
};

template <>
struct Codec<int> : IntCodec<int> {
  static constexpr const char* type = "int";
  static int parse(const std::string& key, const Raw& raw) { return IntCodec::parse(key, raw, "an integer"); }
};
template <>
struct Codec<std::int64_t> : IntCodec<std::int64_t> {
  static constexpr const char* type = "int64";
  static std::int64_t parse(const std::string& key, const Raw& raw) {
    return IntCodec::parse(key, raw, "an integer");
  }
};
template <>
struct Codec<std::uint64_t> : IntCodec<std::uint64_t> {
  static constexpr const char* type = "uint64";
  static std::uint64_t parse(const std::string& key, const Raw& raw) {
    return IntCodec::parse(key, raw, "a non-negative integer");
  }
};

template <>
struct Codec<double> {
  static constexpr const char* type = "float";
  static double parse(const std::string& key, const Raw& raw) {
    const std::string& text = scalar_text(key, raw, "a finite number");
    const auto v = to_double(text);
    if (!v) type_error(key, "a finite number", "'" + text + "'");
    return *v;
  }
  static std::string format(double v) { return format_double(v); }
};

template <>
struct Codec<bool> {
  static constexpr const char* type = "bool";
  static bool parse(const std::string& key, const Raw& raw) {
    std::string t(trim(scalar_text(key, raw, "true or false")));
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    if (t == "true" || t == "yes" || t == "on" || t == "1") return true;
    if (t == "false" || t == "no" || t == "off" || t == "0") return false;
    type_error(key, "true or false", "'" + raw.text + "'");
  }
  static std::string format(bool v) { return v ? "true" : "false"; }
};

template <>
struct Codec<std::string> {
  static constexpr const char* type = "string";
  static std::string parse(const std::string& key, const Raw& raw) {
    return scalar_text(key, raw, "a string");
  }
  static std::string format(const std::string& v) { return quote(v); }
};

template <>
struct Codec<std::vector<int>> {
  static constexpr const char* type = "list<int>";
  // A YAML sequence, or text "[64, 64]" / "64,64" / "64" / "[]" (overrides and scalars in YAML).
  static std::vector<int> parse(const std::string& key, const Raw& raw) {
    const std::string expects = "a list of integers";
    if (raw.kind == Raw::Kind::mapping) type_error(key, expects, "a mapping");
    std::vector<std::string> items = raw.items;
    if (raw.kind == Raw::Kind::scalar) {
      std::string_view t = trim(raw.text);
      if (t.size() >= 2 && t.front() == '[' && t.back() == ']') t = trim(t.substr(1, t.size() - 2));
      while (!t.empty()) {
        const auto comma = t.find(',');
        items.emplace_back(t.substr(0, comma));
        if (comma == std::string_view::npos) break;
        t.remove_prefix(comma + 1);
        if (t.empty()) items.emplace_back();  // a trailing comma leaves an empty item: reject it
      }
    }
    std::vector<int> v;
    for (const auto& item : items) {
      const auto x = to_integer<int>(item);
      if (!x) type_error(key, expects, "item '" + std::string(trim(item)) + "'");
      v.push_back(*x);
    }
    return v;
  }
  static std::string format(const std::vector<int>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
  }
};

template <class E>
struct EnumCodec {
  static std::string choices(const char* sep) {
    std::string s;
    for (const char* n : EnumNames<E>::names) s += (s.empty() ? "" : sep) + std::string(n);
    return s;
  }
  static E parse(const std::string& key, const Raw& raw) {
    const std::string expects = "one of " + choices(", ");
    const std::string t(trim(scalar_text(key, raw, expects)));
    const auto& names = EnumNames<E>::names;
    for (std::size_t i = 0; i < names.size(); ++i)
      if (t == names[i]) return static_cast<E>(i);
    type_error(key, expects, "'" + raw.text + "'");
  }
  static std::string format(E v) { return EnumNames<E>::names.at(static_cast<std::size_t>(v)); }
};
template <>
struct Codec<HerStrategy> : EnumCodec<HerStrategy> {
  static inline const std::string type = choices("|");
};
template <>
struct Codec<NormInit> : EnumCodec<NormInit> {
  static inline const std::string type = choices("|");
};
template <>
struct Codec<NanPolicy> : EnumCodec<NanPolicy> {
  static inline const std::string type = choices("|");
};

// A value that may be the word "auto": the setting is then derived (e.g. gamma = 1 - 1/T); nullopt in C++.
template <class T>
struct Codec<std::optional<T>> {
  static inline const std::string type = std::string(Codec<T>::type) + "|auto";
  static std::optional<T> parse(const std::string& key, const Raw& raw) {
    if (raw.kind == Raw::Kind::scalar && trim(raw.text) == "auto") return std::nullopt;
    return Codec<T>::parse(key, raw);
  }
  static std::string format(const std::optional<T>& v) { return v ? Codec<T>::format(*v) : "auto"; }
};

// ---- range rules (the names used in the table's "rule" column) -------------------------------------

// A predicate on a key's value with the phrase shown when it fails ("must be > 0").
template <class Pred>
struct Rule {
  std::string what;
  Pred ok;
};
template <class Pred>
Rule<Pred> make_rule(std::string what, Pred ok) {
  return Rule<Pred>{std::move(what), std::move(ok)};
}

auto anything() {
  return make_rule("", [](const auto&) { return true; });
}
auto not_empty() {
  return make_rule("must not be empty", [](const std::string& s) { return !s.empty(); });
}
auto at_least(double lo) {
  return make_rule("must be >= " + format_double(lo), [lo](auto v) { return static_cast<double>(v) >= lo; });
}
auto above(double lo) {
  return make_rule("must be > " + format_double(lo), [lo](auto v) { return static_cast<double>(v) > lo; });
}
auto within(double lo, double hi) {
  return make_rule("must be in [" + format_double(lo) + ", " + format_double(hi) + "]",
                   [lo, hi](double v) { return v >= lo && v <= hi; });
}
// The rule of a value that may be auto: auto passes, a given value must pass `inner`.
template <class Pred>
auto auto_or(Rule<Pred> inner) {
  const std::string must_be = "must be ";
  std::string what = inner.what.rfind(must_be, 0) == 0 ? "must be auto or " + inner.what.substr(must_be.size())
                                                        : inner.what + " (or be auto)";
  return make_rule(std::move(what), [ok = inner.ok](const auto& v) { return !v || ok(*v); });
}
auto list_at_least(int lo) {
  return make_rule("entries must be >= " + std::to_string(lo), [lo](const std::vector<int>& v) {
    return std::all_of(v.begin(), v.end(), [lo](int x) { return x >= lo; });
  });
}
auto non_empty_list_at_least(int lo) {
  return make_rule("must be a non-empty list of values >= " + std::to_string(lo),
                   [lo](const std::vector<int>& v) {
                     return !v.empty() && std::all_of(v.begin(), v.end(), [lo](int x) { return x >= lo; });
                   });
}

// ---- the schema ------------------------------------------------------------------------------------

// One key of the config table, type-erased so that every key is handled by the same code.
struct Field {
  std::string name;
  std::string type;  // as shown by --help
  std::string doc;
  std::function<void(TrainConfig&, const Raw&)> set;          // parse into the member; throws FieldError
  std::function<void(const TrainConfig&)> check;              // range rule; throws FieldError
  std::function<std::string(const TrainConfig&)> yaml_value;  // the member's value as YAML text
};

template <class T, class Pred>
Field make_field(const char* name, T TrainConfig::*member, Rule<Pred> rule, const char* doc) {
  Field f;
  f.name = name;
  f.type = Codec<T>::type;
  f.doc = doc;
  const std::string key = name;
  f.set = [key, member](TrainConfig& c, const Raw& raw) { c.*member = Codec<T>::parse(key, raw); };
  f.check = [key, member, rule](const TrainConfig& c) {
    if (!rule.ok(c.*member)) throw FieldError(key + " " + rule.what + ", got " + Codec<T>::format(c.*member));
  };
  f.yaml_value = [member](const TrainConfig& c) { return Codec<T>::format(c.*member); };
  return f;
}

const std::vector<Field>& schema() {
  static const std::vector<Field> fields = {
#define HINDSIGHT_CONFIG_FIELD(name, type, def, rule, doc) make_field(#name, &TrainConfig::name, rule, doc),
      HINDSIGHT_TRAIN_CONFIG_FIELDS(HINDSIGHT_CONFIG_FIELD)
#undef HINDSIGHT_CONFIG_FIELD
  };
  return fields;
}

const Field* find_field(const std::string& key) {
  for (const Field& f : schema())
    if (f.name == key) return &f;
  return nullptr;
}

// ---- per-level values ------------------------------------------------------------------------------

constexpr std::string_view kLevelPrefix = "level";

// "level<N>.<key>" as (N, key); nullopt when name does not have that shape.
std::optional<std::pair<int, std::string>> split_level_key(const std::string& name) {
  if (name.rfind(kLevelPrefix, 0) != 0) return std::nullopt;
  const auto dot = name.find('.');
  if (dot == std::string::npos || dot == kLevelPrefix.size()) return std::nullopt;
  const std::string digits = name.substr(kLevelPrefix.size(), dot - kLevelPrefix.size());
  if (digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::pair{std::stoi(digits), name.substr(dot + 1)};
}

// Sets a level<N>.<key> value: checked by parsing it into a copy of the config; stored as YAML text.
// Returns false when name is not a per-level name; throws FieldError for a bad key or value.
bool set_level_value(TrainConfig& config, const std::string& name, const Raw& raw) {
  const auto split = split_level_key(name);
  if (!split) return false;
  const auto& keys = level_keys();
  if (std::find(keys.begin(), keys.end(), split->second) == keys.end()) {
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
    throw FieldError("'" + split->second + "' cannot be set per level (" + name + "); per-level keys: " + list);
  }
  const Field* field = find_field(split->second);
  TrainConfig scratch = config;
  field->set(scratch, raw);
  try {
    field->check(scratch);
  } catch (const FieldError& e) {
    throw FieldError(name + ": " + e.what());
  }
  config.level_values[name] = field->yaml_value(scratch);
  return true;
}

// ---- unknown keys ----------------------------------------------------------------------------------

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// "unknown key 'x'" plus a suggestion: the key's name in baselines / SB3 when it is one, else the
// closest key by edit distance when it is close enough to be a typo.
std::string unknown_key(const std::string& key) {
  struct Hint {
    const char* theirs;
    const char* ours;
    const char* note;
  };
  static const Hint hints[] = {
      {"n_epochs", "epochs", ""},
      {"n_cycles", "cycles", ""},
      {"n_batches", "updates_per_cycle", ""},
      {"gradient_steps", "updates_per_cycle", ""},
      {"rollout_batch_size", "episodes_per_cycle", ""},
      {"n_test_rollouts", "test_episodes", ""},
      {"pi_lr", "actor_lr", ""},
      {"Q_lr", "critic_lr", ""},
      {"learning_rate", "actor_lr", " set critic_lr too"},
      {"layers", "hidden", " it lists the layer widths, e.g. [256, 256, 256]"},
      {"net_arch", "hidden", ""},
      {"tau", "polyak", " polyak = 1 - tau"},
      {"replay_strategy", "her_strategy", ""},
      {"goal_selection_strategy", "her_strategy", ""},
      {"n_sampled_goal", "replay_k", ""},
  };
  std::string msg = "unknown key '" + key + "'";
  for (const Hint& h : hints)
    if (key == h.theirs) return msg + " (did you mean '" + h.ours + "'?" + h.note + ")";
  const Field* best = nullptr;
  std::size_t best_d = std::max<std::size_t>(1, key.size() / 3) + 1;
  for (const Field& f : schema()) {
    const std::size_t d = edit_distance(key, f.name);
    if (d < best_d) best = &f, best_d = d;
  }
  if (best) msg += " (did you mean '" + best->name + "'?)";
  return msg;
}

// ---- YAML input ------------------------------------------------------------------------------------

Raw to_raw(const std::string& key, const YAML::Node& node) {
  Raw raw;
  if (node.IsMap()) {
    raw.kind = Raw::Kind::mapping;
  } else if (node.IsSequence()) {
    raw.kind = Raw::Kind::list;
    for (const auto& item : node) {
      if (!item.IsScalar()) throw FieldError("key '" + key + "': list items must be plain values");
      raw.items.push_back(item.Scalar());
    }
  } else {
    raw.text = node.Scalar();  // a null value ("key:" or "~") reads as empty text
  }
  return raw;
}

// Records where each document starts; the other parsing events are not needed.
class DocumentStarts final : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> marks;
  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// The number of YAML documents in text. yaml-cpp 0.7's LoadAll never returns on some malformed input: a
// lone ',' is never consumed, so the parser starts empty documents at the same place forever, allocating
// until memory runs out (upstream issue #1040, fixed after 0.8). Documents are therefore counted here, and
// one that starts where the previous one did is reported as the syntax error it is.
std::size_t count_documents(const std::string& text, const std::string& path) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  while (parser.HandleNextDocument(starts)) {
    const std::size_t n = starts.marks.size();
    if (n >= 2 && starts.marks[n - 1].pos <= starts.marks[n - 2].pos) {
      const YAML::Mark& m = starts.marks[n - 1];
      const auto at = static_cast<std::size_t>(m.pos);
      throw Error(path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) +
                  ": YAML syntax error: unexpected " +
                  (at < text.size() ? "'" + std::string(1, text[at]) + "'" : std::string("end of file")));
    }
  }
  return starts.marks.size();
}

}  // namespace

std::size_t count_yaml_documents(const std::string& text, const std::string& path) {
  return count_documents(text, path);
}

namespace {

std::string kind_name(const YAML::Node& node) {
  if (node.IsSequence()) return "a list";
  if (node.IsScalar()) return "a scalar";
  return "something else";
}

std::string exe_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

bool is_dir(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

}  // namespace

std::string to_string(HerStrategy s) { return Codec<HerStrategy>::format(s); }
std::string to_string(NormInit n) { return Codec<NormInit>::format(n); }
std::string to_string(NanPolicy p) { return Codec<NanPolicy>::format(p); }

TrainConfig default_config() { return TrainConfig{}; }

TrainConfig load_config_file(const std::string& path) {
  // TOML's "key = value" would otherwise read as one YAML scalar and fail with a puzzling message.
  check(!path.ends_with(".toml"), path + ": TOML is not supported; write the config as YAML (key: value lines)");
  return parse_config_yaml(io::read_file(path), path);
}

TrainConfig parse_config_yaml(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    const std::size_t docs = count_documents(text, path);
    check(docs <= 1, path + ": expected one YAML document, found " + std::to_string(docs));
    if (docs == 1) root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    // Every yaml-cpp error carries a mark; a mark without a position (-1) still gives "FILE:0:0".
    throw Error(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                ": YAML syntax error: " + e.msg);
  }
  TrainConfig config = default_config();
  if (root.IsNull()) return config;  // an empty file (or only comments) changes nothing
  check(root.IsMap(), path + ":" + std::to_string(root.Mark().line + 1) +
                          ": expected a mapping of key: value lines, got " + kind_name(root));
  std::map<std::string, int> first_line;
  for (const auto& kv : root) {
    const int line = kv.first.Mark().line + 1;
    const std::string where = path + ":" + std::to_string(line) + ": ";
    check(kv.first.IsScalar(), where + "keys must be plain names");
    const std::string key = kv.first.Scalar();
    const auto [seen, fresh] = first_line.emplace(key, line);
    check(fresh,
          where + "duplicate key '" + key + "' (first set on line " + std::to_string(seen->second) + ")");
    try {
      if (set_level_value(config, key, to_raw(key, kv.second))) continue;
    } catch (const FieldError& e) {
      throw Error(where + e.what());
    }
    const Field* field = find_field(key);
    check(field != nullptr, where + unknown_key(key));
    try {
      field->set(config, to_raw(key, kv.second));
      field->check(config);
    } catch (const FieldError& e) {
      throw Error(where + e.what());
    }
  }
  return config;
}

void apply_override(TrainConfig& config, const std::string& key_eq_value) {
  const std::string where = "override '" + key_eq_value + "': ";
  const auto eq = key_eq_value.find('=');
  check(eq != std::string::npos, where + "expected key=value");
  const std::string key(trim(std::string_view(key_eq_value).substr(0, eq)));
  check(!key.empty(), where + "expected key=value (the key is empty)");
  try {
    if (set_level_value(config, key, Raw{Raw::Kind::scalar, key_eq_value.substr(eq + 1), {}})) return;
  } catch (const FieldError& e) {
    throw Error(where + e.what());
  }
  const Field* field = find_field(key);
  check(field != nullptr, where + unknown_key(key));
  try {
    field->set(config, Raw{Raw::Kind::scalar, key_eq_value.substr(eq + 1), {}});
    field->check(config);
  } catch (const FieldError& e) {
    throw Error(where + e.what());
  }
}

void apply_overrides(TrainConfig& config, const std::vector<std::string>& overrides) {
  for (const auto& o : overrides) apply_override(config, o);
}

void validate(const TrainConfig& config) {
  // The per-key rules again: a config built in code or edited after loading never met them.
  for (const Field& f : schema()) {
    try {
      f.check(config);
    } catch (const FieldError& e) {
      throw Error(e.what());
    }
  }
  check(config.norm_init != NormInit::file || !config.norm_file.empty(),
        "norm_init=file needs norm_file (a normalizer statistics file)");
  // A norm_file that would be silently ignored is almost always a forgotten norm_init=file.
  check(config.norm_file.empty() || config.norm_init == NormInit::file,
        "norm_file is set but norm_init is '" + to_string(config.norm_init) +
            "'; set norm_init=file to use it");
  // Likewise a subgoal space that a flat agent would silently ignore.
  check(config.subgoal == "default" || config.levels > 1,
        "subgoal is '" + config.subgoal + "' but levels=1 has no subgoals; set levels >= 2 or drop it");
  if (config.demos > 0) {
    check(config.env.rfind("Fetch", 0) == 0,
          "demos need a task with a scripted expert (the Fetch tasks), not '" + config.env + "'");
    check(config.demo_batch_size < config.batch_size,
          "demo_batch_size (" + std::to_string(config.demo_batch_size) + ") must be below batch_size (" +
              std::to_string(config.batch_size) + ")");
  }
  const std::size_t n = config.H ? config.H->size() : 0, below_top = static_cast<std::size_t>(config.levels - 1);
  const std::string per_level =
      below_top > 1 ? std::to_string(below_top) + " (one per level below the top) or " : "";
  for (const auto& [name, text] : config.level_values) {
    const auto split = split_level_key(name);
    check(split && split->first < config.levels,
          name + " names level " + std::to_string(split ? split->first : -1) + ", but levels=" +
              std::to_string(config.levels) + " has levels 0 to " + std::to_string(config.levels - 1));
  }
  if (!config.level_values.empty()) {
    for (int i = 0; i < config.levels; ++i) validate(for_level(config, i));
  }
  check(!config.H || n == 1 || n == below_top,
        "H has " + std::to_string(n) + " entries; with levels=" + std::to_string(config.levels) +
            " it needs " + per_level + "1 (used for every level), or auto (env default)");
}

const std::vector<std::string>& level_keys() {
  static const std::vector<std::string> keys = {
      "hidden",    "actor_lr",     "critic_lr", "gamma",          "polyak",          "target_networks",
      "action_l2", "noise_eps",    "random_eps", "her_strategy",  "replay_k",        "batch_size",
      "buffer_size", "clip_obs",   "norm_eps",  "norm_clip",      "bounded_critic",  "demo_batch_size",
      "bc_weight", "q_filter"};
  return keys;
}

TrainConfig for_level(const TrainConfig& cfg, int level) {
  TrainConfig out = cfg;
  out.level_values.clear();
  for (const auto& [name, text] : cfg.level_values) {
    const auto split = split_level_key(name);
    if (split && split->first == level) find_field(split->second)->set(out, Raw{Raw::Kind::scalar, text, {}});
  }
  return out;
}

RankShare rank_share(const TrainConfig& config, int ranks) {
  check(ranks >= 1, "rank count must be >= 1");
  if (config.workers == 0) {
    return {config.episodes_per_cycle, config.batch_size, config.demo_batch_size, config.buffer_size};
  }
  check(config.workers % ranks == 0, "workers=" + std::to_string(config.workers) + " cannot be shared among " +
                                         std::to_string(ranks) + " ranks; use a rank count that divides it");
  const int per = config.workers / ranks;
  return {config.episodes_per_cycle * per, config.batch_size * per, config.demo_batch_size * per,
          config.buffer_size * per};
}

int rank_test_episodes(const TrainConfig& config, int rank, int ranks) {
  if (config.workers == 0) return config.test_episodes;
  const int n = config.test_episodes;
  return n / ranks + (rank < n % ranks ? 1 : 0);
}

std::string to_yaml(const TrainConfig& config) {
  std::string y =
      "# hindsight training config, resolved: every key with its value for this run.\n"
      "# Reuse it with `hindsight train --config FILE`; `hindsight train --help` lists the keys.\n";
  for (const Field& f : schema()) y += "\n# " + f.doc + "\n" + f.name + ": " + f.yaml_value(config) + "\n";
  for (const auto& [name, text] : config.level_values) {
    const auto split = split_level_key(name);
    y += "\n# level " + std::to_string(split->first) + " only: " + find_field(split->second)->doc + "\n" + name +
         ": " + text + "\n";
  }
  return y;
}

std::string config_help() {
  const TrainConfig defaults = default_config();
  std::size_t wn = 0, wt = 0, wd = 0;
  for (const Field& f : schema()) {
    wn = std::max(wn, f.name.size());
    wt = std::max(wt, f.type.size());
    wd = std::max(wd, f.yaml_value(defaults).size());
  }
  const auto pad = [](std::string s, std::size_t w) { return s.append(w - s.size() + 2, ' '); };
  std::string help;
  for (const Field& f : schema())
    help += "  " + pad(f.name, wn) + pad(f.type, wt) + pad(f.yaml_value(defaults), wd) + f.doc + "\n";
  return help;
}

std::string configs_dir() {
  if (const char* env = std::getenv("HINDSIGHT_CONFIGS"); env != nullptr && *env != '\0') {
    check(is_dir(env), std::string("HINDSIGHT_CONFIGS=") + env + " is not a directory");
    return env;
  }
  std::vector<std::string> candidates;
  if (const std::string exe = exe_dir(); !exe.empty()) {
    candidates.push_back(exe + "/../configs");
    candidates.push_back(exe + "/../../configs");
  }
  candidates.push_back("./configs");
  for (const auto& c : candidates) {
    if (is_dir(c)) return std::filesystem::path(c).lexically_normal().string();
  }
  return "";
}

std::string find_preset(const std::string& env, const std::string& configs_dir) {
  if (configs_dir.empty() || env.empty()) return "";
  const std::string path = configs_dir + "/" + env + ".yaml";
  return io::file_exists(path) ? path : "";
}

}  // namespace hindsight
