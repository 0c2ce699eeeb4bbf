#include "modules/plan/indicators.h"

#include <stdexcept>

namespace psea::plan {

void IndicatorRegistry::Register(ComputedIndicator indicator) {
  if (Find(indicator.key)) throw std::logic_error("duplicate indicator " + indicator.key);
  indicators_.push_back(std::move(indicator));
}

const ComputedIndicator* IndicatorRegistry::Find(const std::string& key) const {
  for (const auto& indicator : indicators_) {
    if (indicator.key == key) return &indicator;
  }
  return nullptr;
}

}  // namespace psea::plan
