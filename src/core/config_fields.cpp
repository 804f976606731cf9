#include "core/config_fields.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/error.hpp"

namespace chorus::core {
namespace {

std::string known_keys(const std::vector<ConfigField>& fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ", ") + f.key;
  return out;
}

std::string_view trim_quotes(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
      text.back() == text.front())
    return text.substr(1, text.size() - 2);
  return text;
}

// A bound as the docs print it: 1, 0.5, 1e-10.
std::string number_text(double v) { return fmt::format("{}", v); }

}  // namespace

bool Bounds::admits(double value) const {
  if (special && value == *special) return true;
  if (!only.empty()) return std::find(only.begin(), only.end(), value) != only.end();
  if (min && (min_exclusive ? !(value > *min) : !(value >= *min))) return false;
  if (max && (max_exclusive ? !(value < *max) : !(value <= *max))) return false;
  return !std::isnan(value);
}

std::string Bounds::describe(std::string_view key) const {
  std::string range;
  if (!only.empty()) {
    for (double v : only) range += (range.empty() ? "" : " or ") + number_text(v);
  } else if (min && max && !min_exclusive && !max_exclusive) {
    range = fmt::format("{}..{}", number_text(*min), number_text(*max));
  } else if (min && max) {
    range = fmt::format("{} {} {} {} {}", number_text(*min), min_exclusive ? "<" : "≤", key,
                        max_exclusive ? "<" : "≤", number_text(*max));
  } else if (min) {
    range = fmt::format("{} {}", min_exclusive ? ">" : "≥", number_text(*min));
  } else if (max) {
    range = fmt::format("{} {}", max_exclusive ? "<" : "≤", number_text(*max));
  }
  return range;
}

std::optional<double> ConfigField::number() const {
  if (const auto* i = std::get_if<int*>(&target)) return **i;
  if (const auto* d = std::get_if<double*>(&target)) return **d;
  return std::nullopt;
}

std::string ConfigField::accepted() const {
  std::string text = bounds.describe(key);
  if (!text.empty() && !unit.empty()) text += " " + unit;
  if (bounds.special)
    text += fmt::format(", or {} {}", number_text(*bounds.special), bounds.special_meaning);
  return text;
}

FieldDeclaration& FieldDeclaration::unit(std::string unit) {
  field_.unit = std::move(unit);
  return *this;
}
FieldDeclaration& FieldDeclaration::lower_bound(double min, bool exclusive) {
  field_.bounds.min = min;
  field_.bounds.min_exclusive = exclusive;
  return *this;
}
FieldDeclaration& FieldDeclaration::upper_bound(double max, bool exclusive) {
  field_.bounds.max = max;
  field_.bounds.max_exclusive = exclusive;
  return *this;
}
FieldDeclaration& FieldDeclaration::one_of(std::vector<double> values) {
  field_.bounds.only = std::move(values);
  return *this;
}
FieldDeclaration& FieldDeclaration::or_special(double value, std::string meaning) {
  field_.bounds.special = value;
  field_.bounds.special_meaning = std::move(meaning);
  return *this;
}

FieldDeclaration ConfigFields::add(std::string key, int* value, std::string doc) {
  fields_.push_back({std::move(key), value, std::move(doc)});
  return FieldDeclaration(fields_.back());
}
FieldDeclaration ConfigFields::add(std::string key, double* value, std::string doc) {
  fields_.push_back({std::move(key), value, std::move(doc)});
  return FieldDeclaration(fields_.back());
}
void ConfigFields::add(std::string key, bool* value, std::string doc) {
  fields_.push_back({std::move(key), value, std::move(doc)});
}
void ConfigFields::add(std::string key, std::string* value, std::string doc,
                       std::vector<std::string> choices) {
  fields_.push_back({std::move(key), value, std::move(doc), std::move(choices)});
}

void ConfigFields::add_enum(std::string key, EnumTarget target, std::string doc,
                            std::vector<std::string> choices) {
  fields_.push_back({std::move(key), std::move(target), std::move(doc), std::move(choices)});
}

namespace {

// "section.key = value: expected …" when the declaration does not accept the field's value.
void check_field(const std::string& section, const ConfigField& field, std::string_view origin) {
  const std::optional<double> value = field.number();
  if (!value || field.bounds.admits(*value)) return;
  throw ConfigError(fmt::format("{}{}{}.{} = {}: expected {}", origin, origin.empty() ? "" : ": ",
                                section, field.key, number_text(*value), field.accepted()));
}

}  // namespace

void ConfigFields::check() const {
  for (const ConfigField& f : fields_) check_field(section_, f, "");
}

const ConfigField* ConfigFields::find(std::string_view key) const {
  auto it = std::find_if(fields_.begin(), fields_.end(),
                         [&](const ConfigField& f) { return f.key == key; });
  return it == fields_.end() ? nullptr : &*it;
}

void ConfigFields::set(std::string_view key, std::string_view text, std::string_view origin) {
  const ConfigField* field = find(key);
  CHORUS_CHECK_AS(ConfigError, field != nullptr, "{}: unknown key {}.{} (known keys: {})", origin,
                  section_, key, known_keys(fields_));
  const std::string name = fmt::format("{}.{}", section_, key);
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto check_choice = [&](const std::string& v) {
    const auto it = std::find(field->choices.begin(), field->choices.end(), v);
    CHORUS_CHECK_AS(ConfigError, it != field->choices.end(), "{}: {} = '{}' is not one of: {}",
                    origin, name, v, fmt::join(field->choices, ", "));
    return static_cast<std::size_t>(it - field->choices.begin());
  };
  std::visit(
      [&](auto target) {
        using T = std::remove_pointer_t<decltype(target)>;
        if constexpr (std::is_same_v<T, EnumTarget>) {
          target.set(check_choice(std::string(trim_quotes(text))));
        } else if constexpr (std::is_same_v<T, int>) {
          int v = 0;
          auto [end, ec] = std::from_chars(first, last, v);
          CHORUS_CHECK_AS(ConfigError, ec == std::errc() && end == last,
                          "{}: {} = '{}' is not an integer", origin, name, text);
          *target = v;
          check_field(section_, *field, origin);
        } else if constexpr (std::is_same_v<T, double>) {
          double v = 0;
          auto [end, ec] = std::from_chars(first, last, v);
          CHORUS_CHECK_AS(ConfigError, ec == std::errc() && end == last && std::isfinite(v),
                          "{}: {} = '{}' is not a finite number", origin, name, text);
          *target = v;
          check_field(section_, *field, origin);
        } else if constexpr (std::is_same_v<T, bool>) {
          CHORUS_CHECK_AS(ConfigError, text == "true" || text == "false",
                          "{}: {} = '{}' is not true or false", origin, name, text);
          *target = text == "true";
        } else {
          std::string v(trim_quotes(text));
          if (!field->choices.empty()) check_choice(v);
          *target = std::move(v);
        }
      },
      field->target);
}

std::string field_value_text(const ConfigField& field) {
  return std::visit(
      [&](const auto& target) -> std::string {
        using T = std::remove_pointer_t<std::decay_t<decltype(target)>>;
        if constexpr (std::is_same_v<T, EnumTarget>)
          return fmt::format("\"{}\"", field.choices.at(target.get()));
        else if constexpr (std::is_same_v<T, bool>)
          return *target ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>)
          return fmt::format("\"{}\"", *target);
        else if constexpr (std::is_same_v<T, double>) {
          // Always with a decimal point, so it reads back as a TOML float.
          std::string s = fmt::format("{}", *target);
          if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
          return s;
        } else
          return fmt::format("{}", *target);
      },
      field.target);
}

std::string ConfigFields::to_toml() const {
  std::string out = fmt::format("[{}]\n", section_);
  for (const auto& f : fields_) out += fmt::format("{} = {}\n", f.key, field_value_text(f));
  return out;
}

}  // namespace chorus::core
