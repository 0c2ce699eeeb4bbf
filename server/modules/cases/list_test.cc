// The case list's query string: every parameter, its defaults, and each bad value refused
// naming its parameter; the words of a full-text search.
#include "modules/cases/list.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace psea::cases {
namespace {

Result<CaseListFilter> Parse(std::string_view target) {
  http::HttpRequest request;
  request.target = std::string(target);
  EXPECT_TRUE(http::ParseTarget(target, request.path, request.query, &request.repeated_query));
  return ParseCaseListFilter(http::QueryParams(request));
}

TEST(CaseListFilterTest, DefaultsWhenEmpty) {
  auto filter = Parse("/api/v1/cases");
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->statuses.empty());
  EXPECT_EQ(filter->limit, kDefaultCasePage);
  EXPECT_EQ(filter->offset, 0);
  EXPECT_EQ(filter->sort, CaseSort::kNewest);
  EXPECT_FALSE(filter->overdue || filter->urgent || filter->mine);
  // An empty value is no filter.
  filter = Parse("/api/v1/cases?status=&q=&category=");
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->statuses.empty() && filter->category.empty() && filter->text.empty());
}

TEST(CaseListFilterTest, ReadsEveryParameter) {
  auto filter = Parse(
      "/api/v1/cases?status=received,under_investigation&category=sexual_abuse&type=rape"
      "&entity=oios&personnel_category=military_contingent&overdue=true&urgent=true&mine=true"
      "&q=Bangui%202026&sort=reported&limit=200&offset=400");
  ASSERT_TRUE(filter.ok()) << filter.status().ToString();
  EXPECT_EQ(filter->statuses,
            (std::vector<CaseStatus>{CaseStatus::kReceived, CaseStatus::kUnderInvestigation}));
  EXPECT_EQ(filter->category, "sexual_abuse");
  EXPECT_EQ(filter->type, "rape");
  EXPECT_EQ(filter->entity, "oios");
  EXPECT_EQ(filter->personnel_category, "military_contingent");
  EXPECT_TRUE(filter->overdue && filter->urgent && filter->mine);
  EXPECT_EQ(filter->text, "Bangui 2026");
  EXPECT_EQ(filter->sort, CaseSort::kReported);
  EXPECT_EQ(filter->limit, 200);
  EXPECT_EQ(filter->offset, 400);
}

TEST(CaseListFilterTest, RefusesBadValuesNamingTheParameter) {
  struct Bad {
    std::string target;
    std::string field;
  };
  for (const auto& bad : std::vector<Bad>{
           {"/x?status=open", "status"},
           {"/x?status=received,", "status"},
           {"/x?status=received,,closed", "status"},
           {"/x?category=harassment", "category"},
           {"/x?type=teasing", "type"},
           {"/x?entity=fbi", "entity"},
           {"/x?personnel_category=pilot", "personnel_category"},
           {"/x?overdue=yes", "overdue"},
           {"/x?urgent=1", "urgent"},
           {"/x?mine=TRUE", "mine"},
           {"/x?sort=oldest_first", "sort"},
           {"/x?limit=0", "limit"},
           {"/x?limit=201", "limit"},
           {"/x?limit=1abc", "limit"},
           {"/x?offset=-1", "offset"},
           {"/x?q=%01", "q"},
       }) {
    auto filter = Parse(bad.target);
    ASSERT_FALSE(filter.ok()) << bad.target;
    EXPECT_EQ(filter.status().code(), ErrorCode::kInvalidArgument) << bad.target;
    EXPECT_EQ(filter.status().field(), bad.field) << bad.target;
  }
}

TEST(CaseListFilterTest, DeclaresEveryParameterItReads) {
  const auto& names = CaseListParameterNames();
  for (const char* name : {"status", "category", "type", "entity", "personnel_category", "overdue",
                           "urgent", "mine", "q", "sort", "limit", "offset"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

TEST(SearchTermsTest, SplitsLowersAndBounds) {
  EXPECT_EQ(SearchTerms("MINUSCA-2026-0001"),
            (std::vector<std::string>{"minusca", "2026", "0001"}));
  EXPECT_EQ(SearchTerms("  sexual_abuse  Bambari "),
            (std::vector<std::string>{"sexual", "abuse", "bambari"}));
  // Operators of either engine's syntax are separators, never passed through.
  EXPECT_EQ(SearchTerms("a\" OR b* & !c:* (d) NEAR/2"),
            (std::vector<std::string>{"a", "or", "b", "c", "d", "near", "2"}));
  EXPECT_EQ(SearchTerms("Bégoua"), (std::vector<std::string>{"b\xc3\xa9goua"}));
  EXPECT_TRUE(SearchTerms(" -- ").empty());
  EXPECT_EQ(SearchTerms("a b c d e f g h i j").size(), kMaxSearchTerms);
  // A long word is cut on a character boundary.
  std::string long_word(63, 'x');
  long_word += "\xc3\xa9\xc3\xa9";
  const auto terms = SearchTerms(long_word);
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0], std::string(63, 'x'));
}

}  // namespace
}  // namespace psea::cases
