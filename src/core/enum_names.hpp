#pragma once
// Choices kept as enums in the program and written as names in configuration files, messages
// and logs. Each enum lists its names once, in enumerator order, by specialising EnumNames:
//
//   template <> struct core::EnumNames<infer::Aggregate> {
//     static constexpr std::array<std::string_view, 2> names{"max", "mean"};
//   };
//
// so a comparison in a hot loop is an integer one, and a name is checked once, when it is read.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chorus::core {

template <typename E>
struct EnumNames;

template <typename E>
std::string_view enum_name(E value) {
  return EnumNames<E>::names[static_cast<std::size_t>(value)];
}

template <typename E>
std::optional<E> enum_from_name(std::string_view name) {
  const auto& names = EnumNames<E>::names;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<E>(i);
  return std::nullopt;
}

template <typename E>
std::vector<std::string> enum_names() {
  return {EnumNames<E>::names.begin(), EnumNames<E>::names.end()};
}

}  // namespace chorus::core
