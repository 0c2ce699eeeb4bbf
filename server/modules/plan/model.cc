#include "modules/plan/model.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace psea::plan {

MonthIndex MakeMonth(int year, int month) { return year * 12 + (month - 1); }

std::optional<MonthIndex> ParseMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int year = 0, month = 0;
  for (int i = 0; i < 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    year = year * 10 + (text[i] - '0');
  }
  for (int i = 5; i < 7; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    month = month * 10 + (text[i] - '0');
  }
  if (month < 1 || month > 12 || year < 1900 || year > 2999) return std::nullopt;
  return MakeMonth(year, month);
}

std::string FormatMonth(MonthIndex month) {
  // Called for every cell of the matrix: digits by hand, not snprintf.
  const int year = YearOf(month);
  const int month_of_year = MonthOfYear(month);
  std::string out(7, '-');
  out[0] = static_cast<char>('0' + year / 1000 % 10);
  out[1] = static_cast<char>('0' + year / 100 % 10);
  out[2] = static_cast<char>('0' + year / 10 % 10);
  out[3] = static_cast<char>('0' + year % 10);
  out[5] = static_cast<char>('0' + month_of_year / 10);
  out[6] = static_cast<char>('0' + month_of_year % 10);
  return out;
}

namespace {
constexpr std::array<std::pair<ActivityStatus, const char*>, 7> kStatuses = {{
    {ActivityStatus::kNotStarted, "not_started"},
    {ActivityStatus::kOnTrack, "on_track"},
    {ActivityStatus::kAtRisk, "at_risk"},
    {ActivityStatus::kDelayed, "delayed"},
    {ActivityStatus::kCompleted, "completed"},
    {ActivityStatus::kContinuous, "continuous"},
    {ActivityStatus::kCancelled, "cancelled"},
}};
constexpr std::array<std::pair<Frequency, const char*>, 7> kFrequencies = {{
    {Frequency::kNone, "none"},
    {Frequency::kWeekly, "weekly"},
    {Frequency::kBiweekly, "biweekly"},
    {Frequency::kMonthly, "monthly"},
    {Frequency::kQuarterly, "quarterly"},
    {Frequency::kBiannual, "biannual"},
    {Frequency::kPerEvent, "per_event"},
}};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Contains(const std::string& text, std::string_view word) {
  return text.find(word) != std::string::npos;
}
}  // namespace

const char* StatusName(ActivityStatus status) {
  for (const auto& [value, name] : kStatuses) {
    if (value == status) return name;
  }
  return "not_started";
}

std::optional<ActivityStatus> ParseStatus(std::string_view text) {
  for (const auto& [value, name] : kStatuses) {
    if (text == name) return value;
  }
  return std::nullopt;
}

const char* FrequencyName(Frequency frequency) {
  for (const auto& [value, name] : kFrequencies) {
    if (value == frequency) return name;
  }
  return "none";
}

std::optional<Frequency> ParseFrequency(std::string_view text) {
  for (const auto& [value, name] : kFrequencies) {
    if (text == name) return value;
  }
  return std::nullopt;
}

Frequency InferFrequency(std::string_view activity_text) {
  const std::string text = Lower(activity_text);
  // The longer words first: "bi-weekly" contains "weekly", "bi-annual" contains "annual".
  if (Contains(text, "bi-weekly") || Contains(text, "biweekly") || Contains(text, "fortnight")) {
    return Frequency::kBiweekly;
  }
  if (Contains(text, "weekly") || Contains(text, "every week")) return Frequency::kWeekly;
  if (Contains(text, "monthly") || Contains(text, "every month")) return Frequency::kMonthly;
  if (Contains(text, "quarterly") || Contains(text, "every quarter")) return Frequency::kQuarterly;
  if (Contains(text, "bi-annual") || Contains(text, "biannual") || Contains(text, "semi-annual") ||
      Contains(text, "twice a year")) {
    return Frequency::kBiannual;
  }
  if (Contains(text, "town hall meeting") || Contains(text, "during field visits") ||
      Contains(text, "each time") || Contains(text, "after each") || Contains(text, "whenever")) {
    return Frequency::kPerEvent;
  }
  return Frequency::kNone;
}

bool IsPillarKey(std::string_view key) {
  return key == "prevention" || key == "enforcement" || key == "remedial_action";
}

bool ServesPillar(const Activity& activity, std::string_view goal_pillar, std::string_view pillar) {
  return goal_pillar == pillar || activity.second_pillar == pillar;
}

bool HasIllegible(std::string_view text) { return text.find(kIllegibleMarker) != text.npos; }

std::string ReplaceIllegible(std::string_view text, std::string_view replacement) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  for (std::size_t found = text.find(kIllegibleMarker); found != text.npos;
       found = text.find(kIllegibleMarker, start)) {
    out.append(text.substr(start, found - start)).append(replacement);
    start = found + kIllegibleMarker.size();
  }
  out.append(text.substr(start));
  return out;
}

const char* OccurrenceStateName(Occurrence::State state) {
  switch (state) {
    case Occurrence::State::kDone:
      return "done";
    case Occurrence::State::kDue:
      return "due";
    case Occurrence::State::kOverdue:
      return "overdue";
    case Occurrence::State::kUpcoming:
      return "upcoming";
  }
  return "upcoming";
}

}  // namespace psea::plan
