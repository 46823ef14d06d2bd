#include "hindsight/io/config_schema.hpp"

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
#include <type_traits>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"

namespace hindsight::config_schema {
namespace {

// ---- raw values ------------------------------------------------------------------------------------

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

// A list of numbers: a YAML sequence, or text "[64, 64]" / "64,64" / "64" / "[]" (overrides and scalars in
// YAML). Item is int or double.
template <class Item>
struct ListCodec {
  static std::vector<Item> parse(const std::string& key, const Raw& raw, const std::string& expects) {
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
    std::vector<Item> v;
    for (const auto& item : items) {
      std::optional<Item> x;
      if constexpr (std::is_same_v<Item, double>) {
        x = to_double(item);
      } else {
        x = to_integer<Item>(item);
      }
      if (!x) type_error(key, expects, "item '" + std::string(trim(item)) + "'");
      v.push_back(*x);
    }
    return v;
  }
  static std::string format(const std::vector<Item>& v) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
      if constexpr (std::is_same_v<Item, double>) {
        s += (i ? ", " : "") + format_double(v[i]);
      } else {
        s += (i ? ", " : "") + std::to_string(v[i]);
      }
    }
    return s + "]";
  }
};

template <>
struct Codec<std::vector<int>> : ListCodec<int> {
  static constexpr const char* type = "list<int>";
  static std::vector<int> parse(const std::string& key, const Raw& raw) {
    return ListCodec::parse(key, raw, "a list of integers");
  }
};
template <>
struct Codec<std::vector<double>> : ListCodec<double> {
  static constexpr const char* type = "list<float>";
  static std::vector<double> parse(const std::string& key, const Raw& raw) {
    return ListCodec::parse(key, raw, "a list of finite numbers");
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
// Every entry of a list (of int or double) >= lo.
auto list_at_least(double lo) {
  return make_rule("entries must be >= " + format_double(lo), [lo](const auto& v) {
    return std::all_of(v.begin(), v.end(), [lo](auto x) { return static_cast<double>(x) >= lo; });
  });
}
// A non-empty list whose every entry is > lo.
auto non_empty_list_above(double lo) {
  return make_rule("must be a non-empty list of values > " + format_double(lo), [lo](const std::vector<double>& v) {
    return !v.empty() && std::all_of(v.begin(), v.end(), [lo](double x) { return x > lo; });
  });
}
auto non_empty_list_at_least(int lo) {
  return make_rule("must be a non-empty list of values >= " + std::to_string(lo),
                   [lo](const std::vector<int>& v) {
                     return !v.empty() && std::all_of(v.begin(), v.end(), [lo](int x) { return x >= lo; });
                   });
}

// ---- the schema ------------------------------------------------------------------------------------

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

}  // namespace

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string format_double(double v) {
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  std::string s(buf.data(), end);
  const auto e = s.find('e');
  if (e != std::string::npos && s.find('.') == std::string::npos) s.insert(e, ".0");
  return s;
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

}  // namespace hindsight::config_schema

namespace hindsight {

std::string to_string(HerStrategy s) { return config_schema::Codec<HerStrategy>::format(s); }
std::string to_string(NormInit n) { return config_schema::Codec<NormInit>::format(n); }
std::string to_string(NanPolicy p) { return config_schema::Codec<NanPolicy>::format(p); }

}  // namespace hindsight
