#include "modules/plan/occurrences.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace psea::plan {

namespace {
using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

sys_days FirstDay(MonthIndex month) {
  return sys_days(year_month_day(std::chrono::year(YearOf(month)),
                                 std::chrono::month(static_cast<unsigned>(MonthOfYear(month))),
                                 std::chrono::day(1)));
}

sys_days LastDay(MonthIndex month) { return FirstDay(month + 1) - days(1); }

std::string Format(sys_days day) {
  const year_month_day ymd(day);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}
}  // namespace

bool IsRecurring(Frequency frequency) {
  return frequency != Frequency::kNone && frequency != Frequency::kPerEvent;
}

bool IsValidDate(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (date[i] < '0' || date[i] > '9') return false;
  }
  const year_month_day ymd(std::chrono::year(std::stoi(date.substr(0, 4))),
                           std::chrono::month(static_cast<unsigned>(std::stoi(date.substr(5, 2)))),
                           std::chrono::day(static_cast<unsigned>(std::stoi(date.substr(8, 2)))));
  return ymd.ok();
}

namespace {
// The windows of a frequency over the period, as first and last days (inclusive).
std::vector<std::pair<sys_days, sys_days>> Windows(Frequency frequency, MonthIndex period_start,
                                                   MonthIndex period_end) {
  std::vector<std::pair<sys_days, sys_days>> windows;
  const sys_days first = FirstDay(period_start);
  const sys_days last = LastDay(period_end);
  switch (frequency) {
    case Frequency::kWeekly:
    case Frequency::kBiweekly: {
      const int span = frequency == Frequency::kWeekly ? 7 : 14;
      // Back to the Monday of the first week (weekday 1 = Monday).
      const std::chrono::weekday weekday(first);
      const int back = static_cast<int>((weekday.c_encoding() + 6) % 7);
      for (sys_days start = first - days(back); start <= last; start += days(span)) {
        windows.emplace_back(std::max(start, first), std::min(start + days(span - 1), last));
      }
      break;
    }
    case Frequency::kMonthly:
    case Frequency::kQuarterly:
    case Frequency::kBiannual: {
      const int span = frequency == Frequency::kMonthly     ? 1
                       : frequency == Frequency::kQuarterly ? 3
                                                            : 6;
      // Calendar-aligned: quarters start in January, April, July, October.
      MonthIndex start = period_start - (MonthOfYear(period_start) - 1) % span;
      for (; start <= period_end; start += span) {
        windows.emplace_back(std::max(FirstDay(start), first),
                             std::min(LastDay(start + span - 1), last));
      }
      break;
    }
    case Frequency::kNone:
    case Frequency::kPerEvent:
      return windows;
  }
  return windows;
}

int Digits(const std::string& text, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

// "YYYY-MM-DD" (already validated) to a day, without the cost of a stream.
sys_days ParseDay(const std::string& date) {
  return sys_days(year_month_day(std::chrono::year(Digits(date, 0, 4)),
                                 std::chrono::month(static_cast<unsigned>(Digits(date, 5, 2))),
                                 std::chrono::day(static_cast<unsigned>(Digits(date, 8, 2)))));
}
}  // namespace

std::vector<Occurrence> GenerateOccurrences(Frequency frequency, MonthIndex period_start,
                                            MonthIndex period_end,
                                            const std::vector<DatedEntry>& entries,
                                            const std::string& today) {
  const auto windows = Windows(frequency, period_start, period_end);
  if (windows.empty()) return {};
  std::vector<DatedEntry> sorted = entries;
  std::sort(sorted.begin(), sorted.end(),
            [](const DatedEntry& a, const DatedEntry& b) { return a.date < b.date; });
  std::vector<Occurrence> occurrences;
  occurrences.reserve(windows.size());
  for (const auto& [start, end] : windows) {
    Occurrence occurrence;
    occurrence.start = Format(start);
    occurrence.end = Format(end);
    auto it = std::lower_bound(
        sorted.begin(), sorted.end(), occurrence.start,
        [](const DatedEntry& entry, const std::string& date) { return entry.date < date; });
    for (; it != sorted.end() && it->date <= occurrence.end; ++it) {
      occurrence.entry_ids.push_back(it->entry_id);
    }
    if (!occurrence.entry_ids.empty()) {
      occurrence.state = Occurrence::State::kDone;
    } else if (occurrence.end < today) {
      occurrence.state = Occurrence::State::kOverdue;
    } else if (occurrence.start <= today) {
      occurrence.state = Occurrence::State::kDue;
    } else {
      occurrence.state = Occurrence::State::kUpcoming;
    }
    occurrences.push_back(std::move(occurrence));
  }
  return occurrences;
}

OccurrenceCounts CountOccurrenceStates(Frequency frequency, MonthIndex period_start,
                                       MonthIndex period_end,
                                       const std::vector<DatedEntry>& entries,
                                       const std::string& today) {
  OccurrenceCounts counts;
  const auto windows = Windows(frequency, period_start, period_end);
  if (windows.empty()) return counts;
  std::vector<sys_days> days_done;
  days_done.reserve(entries.size());
  for (const auto& entry : entries) {
    if (entry.date.size() == 10) days_done.push_back(ParseDay(entry.date));
  }
  std::sort(days_done.begin(), days_done.end());
  const sys_days today_day = ParseDay(today);
  for (const auto& [start, end] : windows) {
    auto it = std::lower_bound(days_done.begin(), days_done.end(), start);
    if (it != days_done.end() && *it <= end) {
      ++counts.done;
    } else if (end < today_day) {
      ++counts.overdue;
    } else if (start <= today_day) {
      ++counts.due;
    } else {
      ++counts.upcoming;
    }
  }
  return counts;
}

OccurrenceCounts CountOccurrences(const std::vector<Occurrence>& occurrences) {
  OccurrenceCounts counts;
  for (const auto& occurrence : occurrences) {
    switch (occurrence.state) {
      case Occurrence::State::kDone:
        ++counts.done;
        break;
      case Occurrence::State::kDue:
        ++counts.due;
        break;
      case Occurrence::State::kOverdue:
        ++counts.overdue;
        break;
      case Occurrence::State::kUpcoming:
        ++counts.upcoming;
        break;
    }
  }
  return counts;
}

}  // namespace psea::plan
