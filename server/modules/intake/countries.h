// The countries a nationality is chosen from (ISO 3166-1 alpha-2, sorted).
#pragma once

#include <string_view>
#include <vector>

namespace psea::intake {

const std::vector<std::string_view>& CountryCodes();
bool IsCountryCode(std::string_view code);

}  // namespace psea::intake
