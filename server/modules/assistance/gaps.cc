#include "modules/assistance/gaps.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <tuple>
#include <utility>

#include "modules/assistance/model.h"

namespace psea::assistance {

std::string_view GapStateName(GapState state) {
  switch (state) {
    case GapState::kGap:
      return "gap";
    case GapState::kStaleOnly:
      return "stale_only";
    case GapState::kCovered:
      return "covered";
    case GapState::kNoNeed:
      return "no_need";
  }
  return "no_need";
}

namespace {

GapState StateOf(const GapRow& row) {
  if (row.needing <= 0) return GapState::kNoNeed;
  if (row.providers <= 0) return GapState::kGap;
  if (row.fresh() <= 0) return GapState::kStaleOnly;
  return GapState::kCovered;
}

// Sort key: the places list's position (unknown codes after every known one, "" last), then
// the vocabulary's position, then the text itself for values outside either list.
struct Order {
  std::size_t prefecture_rank;
  std::string prefecture;
  std::size_t service_rank;
  std::string service;
  bool operator<(const Order& other) const {
    return std::tie(prefecture_rank, prefecture, service_rank, service) <
           std::tie(other.prefecture_rank, other.prefecture, other.service_rank, other.service);
  }
};

}  // namespace

std::vector<GapRow> ComputeGaps(const std::vector<ServiceSupply>& supply,
                                const std::vector<NeedDemand>& demand,
                                const std::vector<PrefectureRef>& prefectures,
                                const GapFilter& filter) {
  auto prefecture_rank = [&](const std::string& code) -> std::size_t {
    for (std::size_t i = 0; i < prefectures.size(); ++i) {
      if (prefectures[i].code == code) return i;
    }
    return code.empty() ? prefectures.size() + 1 : prefectures.size();
  };
  auto service_rank = [](const std::string& service) -> std::size_t {
    auto found = std::find(kNeedTypes.begin(), kNeedTypes.end(), service);
    return static_cast<std::size_t>(found - kNeedTypes.begin());
  };
  std::map<Order, GapRow> cells;
  auto cell = [&](const std::string& prefecture, const std::string& service) -> GapRow& {
    Order key{prefecture_rank(prefecture), prefecture, service_rank(service), service};
    auto [it, inserted] = cells.try_emplace(std::move(key));
    if (inserted) {
      GapRow& row = it->second;
      row.prefecture = prefecture;
      row.service = service;
      row.known_prefecture = it->first.prefecture_rank < prefectures.size();
      if (row.known_prefecture) row.prefecture_name = prefectures[it->first.prefecture_rank].name;
    }
    return it->second;
  };
  for (const auto& s : supply) {
    GapRow& row = cell(s.prefecture, s.service);
    row.providers += s.providers;
    row.stale += s.stale;
  }
  for (const auto& d : demand) {
    GapRow& row = cell(d.prefecture, d.service);
    row.needing += d.needing;
    row.assisted += d.assisted;
  }
  std::vector<GapRow> out;
  out.reserve(cells.size());
  for (auto& [key, row] : cells) {
    if (row.providers == 0 && row.needing == 0 && row.assisted == 0) continue;
    if (filter.service && row.service != *filter.service) continue;
    if (filter.prefecture && row.prefecture != *filter.prefecture) continue;
    row.state = StateOf(row);
    out.push_back(std::move(row));
  }
  return out;
}

GapSummary Summarise(const std::vector<GapRow>& rows) {
  GapSummary summary;
  for (const auto& row : rows) {
    switch (row.state) {
      case GapState::kGap:
        ++summary.gaps;
        break;
      case GapState::kStaleOnly:
        ++summary.stale_only;
        break;
      case GapState::kCovered:
        ++summary.covered;
        break;
      case GapState::kNoNeed:
        ++summary.no_need;
        break;
    }
  }
  return summary;
}

void SuppressSmallCounts(std::vector<GapRow>& rows) {
  for (auto& row : rows) {
    if (row.needing > 0 && row.needing < kSmallCount) {
      row.needing = 0;
      row.needing_suppressed = true;
    }
    if (row.assisted > 0 && row.assisted < kSmallCount) {
      row.assisted = 0;
      row.assisted_suppressed = true;
    }
  }
}

namespace {
// "YYYY-MM" to the first millisecond (UTC) of that month, or of the next when `after`.
std::optional<std::int64_t> MonthStart(std::string_view text, bool after) {
  int year = 0;
  unsigned month = 0;
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  auto y = std::from_chars(text.data(), text.data() + 4, year);
  auto m = std::from_chars(text.data() + 5, text.data() + 7, month);
  if (y.ec != std::errc() || y.ptr != text.data() + 4 || m.ec != std::errc() ||
      m.ptr != text.data() + 7 || month < 1 || month > 12) {
    return std::nullopt;
  }
  std::chrono::year_month ym{std::chrono::year{year}, std::chrono::month{month}};
  if (after) ym += std::chrono::months{1};
  const std::chrono::sys_days day{ym / std::chrono::day{1}};
  return std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch()).count();
}
}  // namespace

std::optional<MonthSpan> SpanOfMonths(std::string_view from, std::string_view to) {
  const auto start = MonthStart(from, false);
  const auto end = MonthStart(to, true);
  if (!start || !end || *end <= *start) return std::nullopt;
  return MonthSpan{*start, *end};
}

}  // namespace psea::assistance
