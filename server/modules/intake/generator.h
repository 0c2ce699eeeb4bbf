// Generated complaints for the demo and the benchmarks. Never real data: every narrative says
// it was generated, names and numbers are made up.
#pragma once

#include <vector>

#include "modules/intake/service.h"

namespace psea::intake {

// `count` complaints over the last 60 days: entered by `staff` (hotline operators, CBCM focal
// points, officers) or sent through the public form, a fifth of them urgent, with places from
// the places list. When `chief` is given (a CDT chief), older ones are acknowledged, some
// assessed, some closed as not SEA, and some have a message to and from the reporter.
Status GenerateComplaints(IntakeService& service, int count,
                          const std::vector<security::Principal>& staff,
                          const std::optional<security::Principal>& chief, UnixMillis now);

}  // namespace psea::intake
