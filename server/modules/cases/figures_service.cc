// CasesService: figures, the UN public table and information-sharing extracts (service.h,
// "Figures"). Kept apart from service.cc so that the workflow file stays about the workflow.
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <memory>

#include "modules/cases/service.h"

namespace psea::cases {

namespace json = boost::json;
using security::Permission;
using security::Principal;
using storage::Connection;

namespace {

constexpr int kLeadershipSuppressBelow = 5;

// Months "YYYY-MM" of an indicator period as the dates that bound it.
std::string FirstDay(const std::string& month) { return month.empty() ? "" : month + "-01"; }
std::string LastDay(const std::string& month) { return month.empty() ? "" : month + "-31"; }

}  // namespace

Result<CasesService::FiguresView> CasesService::Figures(const Principal& caller,
                                                        FiguresFilter filter) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeFigures));
  RETURN_IF_ERROR(ValidateFiguresFilter(filter));
  if (!security::HasPermission(caller, Permission::kCasesManage)) {
    filter.suppress_below = std::max(filter.suppress_below, kLeadershipSuppressBelow);
  }
  FiguresView view;
  view.filter = filter;
  const UnixMillis now = clock_.Now();
  const std::string lo = filter.from.empty() ? "0000-01-01" : filter.from;
  const std::string hi = filter.to.empty() ? "9999-12-31" : filter.to;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    // The period month by month: a month's counts come from the cache when nothing of the
    // month changed (its revision) and none of its running clocks fell due since they were
    // counted; the months missing are counted in as few queries as runs of them.
    ASSIGN_OR_RETURN(auto months, store_.FigureMonths(c, lo, hi));
    std::vector<std::shared_ptr<const MonthFigures>> parts(months.size());
    std::vector<std::pair<std::string, std::string>> keys(months.size());
    for (std::size_t i = 0; i < months.size(); ++i) {
      const std::string& month = months[i].first;
      keys[i] = {std::max(lo, month + "-01"), std::min(hi, month + "-31")};
      auto cached = figures_cache_.Find(keys[i], months[i].second);
      if (cached && now <= cached->valid_until) parts[i] = std::move(cached);
    }
    for (std::size_t first = 0; first < months.size();) {
      if (parts[first]) {
        ++first;
        continue;
      }
      std::size_t last = first;
      while (last + 1 < months.size() && !parts[last + 1]) ++last;
      ASSIGN_OR_RETURN(auto counted,
                       store_.CountFiguresByMonth(c, keys[first].first, keys[last].second, now));
      for (std::size_t i = first; i <= last; ++i) {
        auto found = counted.find(months[i].first);
        auto part = std::make_shared<const MonthFigures>(
            found == counted.end() ? MonthFigures{} : std::move(found->second));
        figures_cache_.Store(keys[i], months[i].second, part);
        parts[i] = std::move(part);
      }
      first = last + 1;
    }
    std::vector<const FiguresCounts*> counts;
    counts.reserve(parts.size());
    for (const auto& part : parts) counts.push_back(&part->counts);
    view.counts = MergeFigures(counts);
    return Status::Ok();
  }));
  return view;
}

Result<std::vector<PublicTableRow>> CasesService::PublicTable(const Principal& caller,
                                                              const FiguresFilter& filter,
                                                              std::string_view format,
                                                              const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeFigures));
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  RETURN_IF_ERROR(ValidateFiguresFilter(filter));
  std::vector<PublicTableRow> rows;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(rows, store_.PublicTable(c, filter.from, filter.to));
    security::AuditEvent audit;
    audit.actor_user_id = caller.user_id;
    audit.actor = caller.username;
    audit.action = "cases.export";
    audit.object_type = "case_export";
    audit.object_id = "";
    audit.request_id = info.request_id;
    audit.details = json::serialize(json::object{{"format", format},
                                                 {"from", filter.from},
                                                 {"to", filter.to},
                                                 {"suppress_below", filter.suppress_below},
                                                 {"rows", rows.size()}});
    return audit_.Append(c, audit);
  }));
  return rows;
}

Result<CasesService::Extract> CasesService::MakeExtract(const Principal& caller, std::int64_t id,
                                                        const std::string& recipient,
                                                        const std::string& purpose,
                                                        const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  Extract out;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, id));
    if (facts.empty()) return NotFound("no such case");
    ASSIGN_OR_RETURN(Who who, AccessTo(c, caller, facts.front(), {}));
    if (!who.full()) return NotFound("no such case");
    // Checked after the access, so that the answer says nothing of a case one may not see.
    if (recipient.empty()) return InvalidArgument("name the partner entity", "recipient");
    if (purpose.empty()) return InvalidArgument("say why the extract is shared", "purpose");
    ASSIGN_OR_RETURN(auto found, store_.FindCase(c, id));
    if (!found) return NotFound("no such case");
    out.kase = std::move(*found);
    RETURN_IF_ERROR(store_.LoadLists(c, out.kase));
    out.record.case_id = id;
    out.record.recipient = recipient;
    out.record.purpose = purpose;
    out.record.by_username = caller.username;
    out.record.at = clock_.Now();
    ASSIGN_OR_RETURN(out.record.id, store_.InsertExtract(c, out.record, caller.user_id));
    CaseEvent event;
    event.kind = "extract_shared";
    event.reason = recipient;
    return Record(
        c, caller, id, event, "cases.extract", info,
        json::serialize(json::object{
            {"extract_id", out.record.id}, {"recipient", recipient}, {"purpose", purpose}}));
  }));
  return out;
}

Result<std::vector<ExtractRecord>> CasesService::Extracts(const Principal& caller,
                                                          std::int64_t id) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  std::vector<ExtractRecord> out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, id));
    if (facts.empty()) return NotFound("no such case");
    ASSIGN_OR_RETURN(Who who, AccessTo(c, caller, facts.front(), {}));
    if (!who.full()) return NotFound("no such case");
    ASSIGN_OR_RETURN(out, store_.ListExtracts(c, id));
    return Status::Ok();
  }));
  return out;
}

Result<double> CasesService::IndicatorValue(Connection& c, std::string_view key,
                                            const std::string& from, const std::string& to) const {
  const std::string first = FirstDay(from);
  const std::string last = LastDay(to);
  if (key == kIndicatorOpenAllegations) {
    ASSIGN_OR_RETURN(auto n, store_.CountOpenCases(c, first, last));
    return static_cast<double>(n);
  }
  if (key == kIndicatorMedianInvestigationDays) {
    ASSIGN_OR_RETURN(auto spans, store_.InvestigationSpans(c, first, last));
    return SummariseDurations(spans).median_days.value_or(0.0);
  }
  if (key == kIndicatorInvestigationsWithinTimeline || key == kIndicatorVictimsInformed) {
    ASSIGN_OR_RETURN(auto states, store_.ClockStates(c, first, last, clock_.Now()));
    const auto shares = SummariseClocks(states);
    if (key == kIndicatorInvestigationsWithinTimeline) {
      // No investigation finished yet: nothing missed the timeline.
      return InvestigationShare(shares).on_time_pct.value_or(100.0);
    }
    // The victim_information clock is recurring: a case whose clock never ran late nor is
    // overdue kept its victims informed within the interval.
    for (const auto& share : shares) {
      if (share.rule != RuleIdName(RuleId::kVictimInformation)) continue;
      const std::int64_t kept = share.met_on_time + share.open;
      const std::int64_t all = kept + share.met_late + share.overdue;
      if (all == 0) return 100.0;
      return std::round(1000.0 * static_cast<double>(kept) / static_cast<double>(all)) / 10;
    }
    return 100.0;
  }
  return NotFound("no such cases indicator");
}

}  // namespace psea::cases
