// The indicator registry. An indicator is either manual (values with dates entered by the
// responsible unit) or computed by a module for a period. Modules register their computed
// indicators at start-up under a key such as `training.induction_compliance_pct`; the plan
// module lists them beside the manual ones and links both to expected results.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "modules/plan/model.h"
#include "storage/database.h"

namespace psea::plan {

struct IndicatorPeriod {
  std::int64_t plan_id = 0;  // 0 when the indicator does not depend on a plan
  MonthIndex from = 0;
  MonthIndex to = 0;
  std::string today;  // YYYY-MM-DD
};

struct ComputedIndicator {
  std::string key;
  std::string description;
  std::string unit;    // "%", "count", ...
  std::string target;  // decimal text; empty when none
  // Computes the value for the period; runs inside a read on the module's own tables.
  std::function<Result<double>(storage::Connection&, const IndicatorPeriod&)> compute;
};

// Filled at start-up, read afterwards: not synchronised for writes after serving starts.
class IndicatorRegistry {
 public:
  // Throws std::logic_error on a duplicate key (a programming error).
  void Register(ComputedIndicator indicator);
  const ComputedIndicator* Find(const std::string& key) const;
  const std::vector<ComputedIndicator>& all() const { return indicators_; }

 private:
  std::vector<ComputedIndicator> indicators_;
};

}  // namespace psea::plan
