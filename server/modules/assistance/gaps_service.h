// The gap table, the "victims assisted" figure and the VRA's overdue victim contacts (issue 13:
// "map existing services and ensure advocacy to address the gaps", "Figures", "Keeping victims
// informed"). Reads two aggregates, the providers' through ProvidersService and the files' through
// GapsStore, and computes the table with gaps.h; the contacts come from CasesService::Due. No
// identity, no file and no provider entry leaves here: counts only.
//
// Who:
//  - the VRA (role vra): every count as it is;
//  - readers of the directory who also read the complaint figures (providers.read and
//    intake.figures: the CDT chief and officers): the same table with counts of victims from 1 to
//    4 suppressed (null), since a prefecture and a need can point at one person;
//  - anyone else (leadership, administrators, provider case managers, ...): kPermissionDenied.
// Overdue contacts: the VRA only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/assistance/gaps.h"
#include "modules/assistance/gaps_store.h"
#include "modules/cases/service.h"
#include "modules/intake/service.h"
#include "modules/providers/service.h"
#include "security/permissions.h"
#include "storage/database.h"

namespace psea::assistance {

struct GapTable {
  GapFilter filter;
  std::vector<GapRow> rows;
  GapSummary summary;
  std::vector<PrefectureRef> prefectures;  // the places list's, for the filters and the map
  int stale_days = 0;
  bool suppressed = false;  // counts of 1..4 victims were hidden for this caller
};

class GapsService {
 public:
  GapsService(storage::Database& database, const Clock& clock,
              const providers::ProvidersService& providers, cases::CasesService& cases,
              intake::IntakeService& intake);

  // The gap table (and, in each row, the victims assisted). One read transaction, two GROUP BY
  // queries. kPermissionDenied for callers outside the list above.
  Result<GapTable> Gaps(const security::Principal& caller, const GapFilter& filter);

  // The victim_information clocks that are overdue over the cases the VRA sees (CasesService::Due),
  // most late first. kPermissionDenied for anyone but a VRA.
  Result<std::vector<cases::DueItem>> OverdueContacts(const security::Principal& caller);

  // The action plan's computed indicator (app.cc registers it): distinct files with a need met in
  // the months [from, to] ("YYYY-MM").
  static constexpr std::string_view kIndicatorVictimsAssisted = "assistance.victims_assisted";
  Result<double> IndicatorValue(storage::Connection& c, std::string_view key,
                                const std::string& from, const std::string& to) const;

 private:
  storage::Database& database_;
  const Clock& clock_;
  const providers::ProvidersService& providers_;
  cases::CasesService& cases_;
  intake::IntakeService& intake_;
  GapsStore store_;
};

}  // namespace psea::assistance
