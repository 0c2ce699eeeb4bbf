// The case list's query: filters, full-text search, sorting and paging of GET /api/v1/cases,
// read from the query string with the one strict reader (http/query.h) so that every bad
// value is a 400 naming its parameter. The store turns a filter into one SQL statement with
// the caller's need-to-know in its WHERE clause (store.h CaseListQuery).
//
// Full-text search covers the clear, coded half of a case only: its reference, the
// references of its complaints, the location, category, type, investigating entity, status
// and outcome words, and its subjects' personnel category, nationality and unit. Never an
// identity (they are sealed), never free text (entry notes, reasons, pause reasons: they are
// the CDT's and could name someone), never a victim's pseudonym (investigators do not see
// them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/query.h"
#include "modules/cases/model.h"

namespace psea::cases {

// How the page is ordered. newest (default): the last case made first; oldest; reported:
// the latest date reported first; updated: the last changed first; reference: A to Z.
enum class CaseSort { kNewest, kOldest, kReported, kUpdated, kReference };
std::string_view CaseSortName(CaseSort sort);

inline constexpr int kDefaultCasePage = 50;
inline constexpr int kMaxCasePage = 200;
inline constexpr int kMaxCaseOffset = 1000000;
inline constexpr std::size_t kMaxSearchTerms = 8;

struct CaseListFilter {
  std::vector<CaseStatus> statuses;  // any of them; empty: every status
  std::string category;              // kCaseCategories
  std::string type;                  // kCaseTypes
  std::string entity;                // kInvestigatingEntities
  std::string personnel_category;    // of any subject; intake's kPersonnelCategories
  bool overdue = false;              // a clock past its due date
  bool urgent = false;
  bool mine = false;  // assigned to the caller
  std::string text;   // q: full-text words, all required, each a prefix
  CaseSort sort = CaseSort::kNewest;
  int limit = kDefaultCasePage;
  int offset = 0;
};

// The parameter names GET /api/v1/cases takes (the route's Route::query).
const std::vector<std::string>& CaseListParameterNames();

// Reads the filter. `status` takes one or several statuses separated by commas
// ("received,under_assessment"); the other vocabularies one value. kInvalidArgument naming
// the parameter for an unknown value, a malformed boolean or a limit outside 1..200.
Result<CaseListFilter> ParseCaseListFilter(const http::QueryParams& query);

// The words of a search: runs of letters and digits (any byte of a multi-byte UTF-8
// character counts as a letter), lower-cased in ASCII, at most kMaxSearchTerms of at most 64
// bytes each. Empty when the text holds no word: the search is then no filter.
std::vector<std::string> SearchTerms(std::string_view text);

}  // namespace psea::cases
