// Reading a plan file (docs/plan-format.md, format psea-plan/1) into a PlanDocument. The
// whole file is validated before anything is returned: the first error names the field path
// ("pillars[0].goals[2].activities[1].letter") and its line.
#pragma once

#include <string_view>

#include "core/result.h"
#include "modules/plan/model.h"

namespace psea::plan {

// kUnprocessable (malformed YAML, a missing or unknown field, a duplicate letter, a bad
// value) with `field` set to the path and the message starting "line N: ".
Result<PlanDocument> ParsePlanFile(std::string_view yaml_text);

}  // namespace psea::plan
