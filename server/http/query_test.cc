#include "http/query.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace psea::http {
namespace {

HttpRequest RequestFor(std::string_view target) {
  HttpRequest request;
  request.target = std::string(target);
  EXPECT_TRUE(ParseTarget(target, request.path, request.query, &request.repeated_query));
  return request;
}

TEST(QueryParamsTest, IntegersAreStrict) {
  struct Case {
    std::string target;
    bool ok;
    std::optional<std::int64_t> value;
  };
  for (const auto& c : std::vector<Case>{
           {"/x", true, std::nullopt},
           {"/x?limit=", true, std::nullopt},
           {"/x?limit=5", true, 5},
           {"/x?limit=500", true, 500},
           {"/x?limit=0", false, {}},
           {"/x?limit=501", false, {}},
           {"/x?limit=100000", false, {}},
           {"/x?limit=-3", false, {}},
           {"/x?limit=%2B3", false, {}},
           {"/x?limit=+3", false, {}},
           {"/x?limit=1abc", false, {}},
           {"/x?limit=1e3", false, {}},
           {"/x?limit=0x10", false, {}},
           {"/x?limit=99999999999999999999999", false, {}},
       }) {
    auto request = RequestFor(c.target);
    auto value = QueryParams(request).Int("limit", 1, 500);
    ASSERT_EQ(value.ok(), c.ok) << c.target;
    if (c.ok) {
      EXPECT_EQ(*value, c.value) << c.target;
    } else {
      EXPECT_EQ(value.status().code(), ErrorCode::kInvalidArgument);
      EXPECT_EQ(value.status().field(), "limit");
    }
  }
}

TEST(QueryParamsTest, NegativeRangesTakeASign) {
  auto request = RequestFor("/x?delta=-3");
  EXPECT_EQ(*QueryParams(request).Int("delta", -10, 10), -3);
  EXPECT_FALSE(QueryParams(request).Int("delta", 0, 10).ok());
}

TEST(QueryParamsTest, IdsArePositive) {
  EXPECT_FALSE(QueryParams(RequestFor("/x?plan_id=0")).Id("plan_id").ok());
  EXPECT_EQ(*QueryParams(RequestFor("/x?plan_id=7")).Id("plan_id"), 7);
}

TEST(QueryParamsTest, EnumsBooleansMonthsTimes) {
  auto request = RequestFor("/x?format=csv&urgent=true&from=2026-02&at=2026-02-03&bad=1");
  QueryParams q(request);
  EXPECT_EQ(*q.Enum("format", {"json", "csv"}), "csv");
  EXPECT_EQ(q.Enum("format", {"json", "xlsx"}).status().field(), "format");
  EXPECT_TRUE(*q.Bool("urgent"));
  EXPECT_FALSE(*q.Bool("absent"));
  EXPECT_EQ(q.Bool("bad").status().field(), "bad");
  EXPECT_EQ(*q.Month("from"), "2026-02");
  EXPECT_EQ(q.Month("at").status().field(), "at");
  EXPECT_TRUE(q.Time("at")->has_value());
  EXPECT_EQ(q.Time("from").status().field(), "from");
  for (const char* bad :
       {"/x?from=2026-13", "/x?from=2026-1", "/x?from=26-01-01", "/x?from=abcd-ef"}) {
    auto r = RequestFor(bad);
    EXPECT_FALSE(QueryParams(r).Month("from").ok()) << bad;
  }
  EXPECT_FALSE(QueryParams(RequestFor("/x?urgent=1")).Bool("urgent").ok());
  EXPECT_FALSE(QueryParams(RequestFor("/x?urgent=TRUE")).Bool("urgent").ok());
}

TEST(QueryParamsTest, TextIsBoundedCleanUtf8) {
  EXPECT_EQ(**QueryParams(RequestFor("/x?q=Bossangoa%20%C3%A9t%C3%A9")).Text("q", 100),
            "Bossangoa été");
  EXPECT_EQ(QueryParams(RequestFor("/x?q=abcdef")).Text("q", 5).status().field(), "q");
  EXPECT_FALSE(QueryParams(RequestFor("/x?q=a%0Ab")).Text("q", 100).ok());
  EXPECT_FALSE(QueryParams(RequestFor("/x?q=a%FFb")).Text("q", 100).ok());
  EXPECT_FALSE(QueryParams(RequestFor("/x?q=a%C2%85b")).Text("q", 100).ok());
}

TEST(CheckQueryNamesTest, UnknownAndRepeatedNamesAreRefused) {
  EXPECT_TRUE(CheckQueryNames(RequestFor("/x?limit=1"), {"limit", "offset"}).ok());
  EXPECT_TRUE(CheckQueryNames(RequestFor("/x"), {}).ok());
  auto unknown = CheckQueryNames(RequestFor("/x?limt=1"), {"limit"});
  EXPECT_EQ(unknown.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.field(), "limt");
  auto repeated = CheckQueryNames(RequestFor("/x?limit=1&limit=2"), {"limit"});
  EXPECT_EQ(repeated.field(), "limit");
  EXPECT_NE(repeated.message().find("more than once"), std::string::npos);
  EXPECT_EQ(CheckQueryNames(RequestFor("/x?%01=1"), {}).field(), "(unprintable)");
}

}  // namespace
}  // namespace psea::http
