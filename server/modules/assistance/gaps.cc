#include "modules/assistance/gaps.h"

#include <algorithm>
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

}  // namespace psea::assistance
