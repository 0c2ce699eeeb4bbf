#include "modules/cases/list.h"

#include "modules/intake/model.h"

namespace psea::cases {

namespace {

// One value of a closed vocabulary, or "" when absent.
Result<std::string> VocabularyValue(const http::QueryParams& query, std::string_view name,
                                    const std::vector<std::string_view>& vocabulary) {
  ASSIGN_OR_RETURN(auto value, query.Text(name, 64));
  if (!value) return std::string();
  if (!IsOneOf(vocabulary, *value)) {
    return InvalidArgument("unknown value " + *value, std::string(name));
  }
  return std::move(*value);
}

bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

}  // namespace

std::string_view CaseSortName(CaseSort sort) {
  switch (sort) {
    case CaseSort::kNewest:
      return "newest";
    case CaseSort::kOldest:
      return "oldest";
    case CaseSort::kReported:
      return "reported";
    case CaseSort::kUpdated:
      return "updated";
    case CaseSort::kReference:
      return "reference";
  }
  return "newest";
}

const std::vector<std::string>& CaseListParameterNames() {
  static const std::vector<std::string> names = {
      "status", "category", "type",  "entity", "personnel_category", "overdue", "urgent", "mine",
      "q",      "sort",     "limit", "offset"};
  return names;
}

Result<CaseListFilter> ParseCaseListFilter(const http::QueryParams& query) {
  CaseListFilter filter;
  ASSIGN_OR_RETURN(auto statuses, query.Text("status", 400));
  if (statuses) {
    std::string_view rest = *statuses;
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string_view name = rest.substr(0, comma);
      const auto status = ParseCaseStatus(name);
      if (!status) return InvalidArgument("unknown status " + std::string(name), "status");
      filter.statuses.push_back(*status);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  ASSIGN_OR_RETURN(filter.category, VocabularyValue(query, "category", kCaseCategories));
  ASSIGN_OR_RETURN(filter.type, VocabularyValue(query, "type", kCaseTypes));
  ASSIGN_OR_RETURN(filter.entity, VocabularyValue(query, "entity", kInvestigatingEntities));
  ASSIGN_OR_RETURN(filter.personnel_category,
                   VocabularyValue(query, "personnel_category", intake::kPersonnelCategories));
  ASSIGN_OR_RETURN(filter.overdue, query.Bool("overdue"));
  ASSIGN_OR_RETURN(filter.urgent, query.Bool("urgent"));
  ASSIGN_OR_RETURN(filter.mine, query.Bool("mine"));
  ASSIGN_OR_RETURN(auto text, query.Text("q", 200));
  filter.text = text.value_or("");
  ASSIGN_OR_RETURN(auto sort,
                   query.Enum("sort", {"newest", "oldest", "reported", "updated", "reference"}));
  if (sort == "oldest") filter.sort = CaseSort::kOldest;
  if (sort == "reported") filter.sort = CaseSort::kReported;
  if (sort == "updated") filter.sort = CaseSort::kUpdated;
  if (sort == "reference") filter.sort = CaseSort::kReference;
  ASSIGN_OR_RETURN(auto limit, query.Int("limit", 1, kMaxCasePage));
  ASSIGN_OR_RETURN(auto offset, query.Int("offset", 0, kMaxCaseOffset));
  filter.limit = static_cast<int>(limit.value_or(kDefaultCasePage));
  filter.offset = static_cast<int>(offset.value_or(0));
  return filter;
}

std::vector<std::string> SearchTerms(std::string_view text) {
  std::vector<std::string> terms;
  std::string word;
  auto flush = [&] {
    if (word.size() > 64) {
      // Cut before a continuation byte so that the term stays valid UTF-8.
      std::size_t cut = 64;
      while (cut > 0 && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) --cut;
      word.resize(cut);
    }
    if (!word.empty() && terms.size() < kMaxSearchTerms) terms.push_back(word);
    word.clear();
  };
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsWordByte(c)) {
      word += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : ch;
    } else {
      flush();
    }
  }
  flush();
  return terms;
}

}  // namespace psea::cases
