#pragma once
// One registry of a config section's keys: name, pointer to the struct member, documentation.
// Every config struct (AudioConfig, FeatureConfig, …) describes its fields once, and from that
// single description come TOML loading, `--set key=value` overrides, printing the resolved
// configuration and docs/config.md. (The register/validate/to-string shape of sherpa-onnx's
// config structs, without its macro soup.)

#include <cstddef>
#include <functional>
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

struct ConfigField {
  using Target = std::variant<int*, double*, bool*, std::string*, EnumTarget>;
  std::string key;                   // e.g. "n_fft"
  Target target;                     // the struct member it reads and writes
  std::string doc;                   // one line, with the unit
  std::vector<std::string> choices;  // allowed values of a string or enum field; empty = any
};

class ConfigFields {
 public:
  explicit ConfigFields(std::string section) : section_(std::move(section)) {}

  void add(std::string key, int* value, std::string doc);
  void add(std::string key, double* value, std::string doc);
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

  // Parses `text` by the field's type. `origin` names where the text came from (a file and
  // line, or "--set") for the error message.
  void set(std::string_view key, std::string_view text, std::string_view origin);

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

}  // namespace chorus::core
