// Generated complaints for the demo and the benchmarks. Never real data: every narrative says
// it was generated, names and numbers are made up.
#pragma once

#include <vector>

#include "modules/intake/service.h"

namespace psea::intake {

// `count` complaints over the last 60 days: entered by `staff` (hotline operators, CBCM focal
// points, officers) or sent through the public form, a fifth of them urgent, with places from
// the places list. When `chief` is given (a CDT chief), older ones are acknowledged, some
// assessed and routed, and some have a message to and from the reporter.
Status GenerateComplaints(IntakeService& service, int count,
                          const std::vector<security::Principal>& staff,
                          const std::optional<security::Principal>& chief, UnixMillis now);

// The demo's few complaints, each showing one step of the work: a SEA allegation ready for a
// case, one handed to a partner (acknowledged), a GBV referral the VRA follows, other misconduct,
// one closed as a duplicate, one being assessed with a correction in its history. All are
// acknowledged and none urgent is left in the queue, so that a new urgent complaint heads it.
// `operator_` enters them; `chief` (an intake reader with an unlocked key) works them.
Status GenerateDemoComplaints(IntakeService& service, const security::Principal& operator_,
                              const security::Principal& chief, UnixMillis now);

}  // namespace psea::intake
