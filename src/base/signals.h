// Signal names as kill(1) takes them: "SIGPWR", "PWR", "30", "SIGRTMIN+3".
#pragma once

#include <optional>
#include <string_view>

namespace ljail {

std::optional<int> parse_signal(std::string_view text);

}  // namespace ljail
