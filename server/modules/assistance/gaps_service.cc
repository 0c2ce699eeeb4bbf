#include "modules/assistance/gaps_service.h"

#include "modules/assistance/service.h"

namespace psea::assistance {

using security::Permission;
using storage::Connection;

GapsService::GapsService(storage::Database& database, const Clock& clock,
                         const providers::ProvidersService& providers, cases::CasesService& cases,
                         intake::IntakeService& intake)
    : database_(database), clock_(clock), providers_(providers), cases_(cases), intake_(intake) {}

Result<GapTable> GapsService::Gaps(const security::Principal& caller, const GapFilter& filter) {
  GapTable table;
  if (!IsAdvocate(caller)) {
    if (!security::HasPermission(caller, Permission::kProvidersRead) ||
        !security::HasPermission(caller, Permission::kIntakeFigures)) {
      return PermissionDenied("the gap table is for the VRA and the CDT");
    }
    table.suppressed = true;
  }
  ASSIGN_OR_RETURN(auto places, intake_.Places());
  for (const auto& prefecture : places->prefectures) {
    table.prefectures.push_back({prefecture.code, prefecture.name});
  }
  std::vector<ServiceSupply> supply;
  std::vector<NeedDemand> demand;
  RETURN_IF_ERROR(
      database_
          .Read<bool>([&](Connection& c) -> Result<bool> {
            ASSIGN_OR_RETURN(auto counts, providers_.CountByPrefectureAndService(c));
            supply.reserve(counts.size());
            for (const auto& count : counts) {
              supply.push_back({count.prefecture, count.service, count.providers, count.stale});
            }
            ASSIGN_OR_RETURN(demand, store_.NeedsByPrefectureAndType(c));
            return true;
          })
          .status());
  table.filter = filter;
  table.rows = ComputeGaps(supply, demand, table.prefectures, filter);
  table.summary = Summarise(table.rows);
  if (table.suppressed) SuppressSmallCounts(table.rows);
  table.stale_days = providers_.stale_days();
  return table;
}

Result<std::vector<cases::DueItem>> GapsService::OverdueContacts(
    const security::Principal& caller) {
  RETURN_IF_ERROR(RequireAdvocate(caller));
  ASSIGN_OR_RETURN(auto page, cases_.Due(caller, 0, false));
  std::vector<cases::DueItem> out;
  for (auto& item : page.items) {
    if (item.rule == cases::RuleId::kVictimInformation &&
        item.state == cases::ClockState::kOverdue) {
      out.push_back(std::move(item));
    }
  }
  return out;
}

Result<double> GapsService::IndicatorValue(Connection& c, std::string_view key,
                                           const std::string& from, const std::string& to) const {
  if (key != kIndicatorVictimsAssisted) return NotFound("no such assistance indicator");
  const auto span = SpanOfMonths(from, to);
  if (!span) return InvalidArgument("a period is two months YYYY-MM, in order", "period");
  ASSIGN_OR_RETURN(auto files, store_.FilesWithNeedMetBetween(c, span->start, span->end));
  return static_cast<double>(files);
}

}  // namespace psea::assistance
