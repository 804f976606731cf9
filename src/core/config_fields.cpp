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

}  // namespace

void ConfigFields::add(std::string key, int* value, std::string doc) {
  fields_.push_back({std::move(key), value, std::move(doc), {}});
}
void ConfigFields::add(std::string key, double* value, std::string doc) {
  fields_.push_back({std::move(key), value, std::move(doc), {}});
}
void ConfigFields::add(std::string key, bool* value, std::string doc) {
  fields_.push_back({std::move(key), value, std::move(doc), {}});
}
void ConfigFields::add(std::string key, std::string* value, std::string doc,
                       std::vector<std::string> choices) {
  fields_.push_back({std::move(key), value, std::move(doc), std::move(choices)});
}

void ConfigFields::add_enum(std::string key, EnumTarget target, std::string doc,
                            std::vector<std::string> choices) {
  fields_.push_back({std::move(key), std::move(target), std::move(doc), std::move(choices)});
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
        } else if constexpr (std::is_same_v<T, double>) {
          double v = 0;
          auto [end, ec] = std::from_chars(first, last, v);
          CHORUS_CHECK_AS(ConfigError, ec == std::errc() && end == last && std::isfinite(v),
                          "{}: {} = '{}' is not a finite number", origin, name, text);
          *target = v;
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
