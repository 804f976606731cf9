#pragma once
// One registry of a config section's keys: name, pointer to the struct member, documentation,
// unit and the values it accepts. Every config struct (AudioConfig, FeatureConfig, …) declares
// its fields once, and from that single declaration come TOML loading, `--set key=value`
// overrides, the range checks of its validate(), printing the resolved configuration and
// docs/config.md. (essentia's declareParameter, in the register/validate/to-string shape of
// sherpa-onnx's config structs, without its macro soup.) validate() keeps only the checks that
// relate two fields.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/enum_names.hpp"

namespace chorus::core {

// An enum member, read and written by its position among the field's choices.
struct EnumTarget {
  std::function<std::size_t()> get;
  std::function<void(std::size_t)> set;
};

// The values a numeric field accepts.
struct Bounds {
  std::optional<double> min, max;
  bool min_exclusive = false, max_exclusive = false;
  std::vector<double> only;  // when set, exactly these values (features.power: 1 or 2)
  // One value outside the range with a meaning of its own (model.dropout = -1: the
  // architecture's default).
  std::optional<double> special;
  std::string special_meaning;

  bool admits(double value) const;
  // "> 0", "1..64", "0 ≤ key < 1", "1 or 2", with ", or -1 for none" for a special value; empty
  // when anything goes.
  std::string describe(std::string_view key) const;
};

struct ConfigField {
  using Target = std::variant<int*, double*, bool*, std::string*, EnumTarget>;
  std::string key;                   // e.g. "n_fft"
  Target target;                     // the struct member it reads and writes
  std::string doc;                   // one line
  std::vector<std::string> choices;  // allowed values of a string or enum field; empty = any
  std::string unit;                  // "Hz", "s", "dB"; empty: a count or a ratio
  Bounds bounds;                     // numeric fields

  // The field's number (int or double field), for the bounds.
  std::optional<double> number() const;
  // What the field accepts, as the docs and errors say it: "1000..384000 Hz".
  std::string accepted() const;
};

// What add() returns, to declare a numeric field's unit and range where it is added:
//   f.add("hop_seconds", &hop_seconds, "seconds between windows").unit("s").above(0);
class FieldDeclaration {
 public:
  explicit FieldDeclaration(ConfigField& field) : field_(field) {}
  FieldDeclaration& unit(std::string unit);
  FieldDeclaration& at_least(double min) { return lower_bound(min, false); }
  FieldDeclaration& above(double min) { return lower_bound(min, true); }
  FieldDeclaration& at_most(double max) { return upper_bound(max, false); }
  FieldDeclaration& below(double max) { return upper_bound(max, true); }
  FieldDeclaration& within(double min, double max) { return at_least(min).at_most(max); }
  FieldDeclaration& probability() { return within(0, 1); }
  FieldDeclaration& one_of(std::vector<double> values);
  // A value outside the range that means something: or_special(-1, "for none").
  FieldDeclaration& or_special(double value, std::string meaning);

 private:
  FieldDeclaration& lower_bound(double min, bool exclusive);
  FieldDeclaration& upper_bound(double max, bool exclusive);
  ConfigField& field_;
};

class ConfigFields {
 public:
  explicit ConfigFields(std::string section) : section_(std::move(section)) {}

  FieldDeclaration add(std::string key, int* value, std::string doc);
  FieldDeclaration add(std::string key, double* value, std::string doc);
  void add(std::string key, bool* value, std::string doc);
  void add(std::string key, std::string* value, std::string doc,
           std::vector<std::string> choices = {});
  // A choice kept as an enum with core::EnumNames: its names are the field's choices.
  template <typename E>
  requires std::is_enum_v<E>
  void add(std::string key, E* value, std::string doc) {
    add_enum(std::move(key),
             EnumTarget{[value] { return static_cast<std::size_t>(*value); },
                        [value](std::size_t i) { *value = static_cast<E>(i); }},
             std::move(doc), enum_names<E>());
  }

  const std::string& section() const { return section_; }
  const std::vector<ConfigField>& fields() const { return fields_; }
  const ConfigField* find(std::string_view key) const;

  // Parses `text` by the field's type and checks it against the field's declaration. `origin`
  // names where the text came from (a file and line, or "--set") for the error message.
  void set(std::string_view key, std::string_view text, std::string_view origin);

  // Throws ConfigError for the first field whose value its declaration does not accept.
  void check() const;

  // "key = value" lines in TOML syntax, in declaration order.
  std::string to_toml() const;

 private:
  void add_enum(std::string key, EnumTarget target, std::string doc,
                std::vector<std::string> choices);

  std::string section_;
  std::vector<ConfigField> fields_;
};

// The value of a field as TOML text: 1024, 40.0, true, "htk".
std::string field_value_text(const ConfigField& field);

// Checks a config struct's values against its declared fields: the first part of every
// validate(). `Config` has register_fields(ConfigFields&) and its section name as kSection.
template <typename Config>
void check_declared(const Config& config) {
  Config copy = config;  // register_fields binds mutable members
  ConfigFields fields{std::string(Config::kSection)};
  copy.register_fields(fields);
  fields.check();
}

}  // namespace chorus::core
