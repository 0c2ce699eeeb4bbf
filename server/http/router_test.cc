#include "http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace psea::http {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Route MakeRoute(std::string method, std::string pattern) {
  Route route;
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.summary = route.method + " " + route.pattern;
  route.handler = [](RequestContext&) -> Result<HttpResponse> { return HttpResponse{}; };
  return route;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(MakeRoute("GET", "/"));
    router_.Add(MakeRoute("GET", "/api/v1/users"));
    router_.Add(MakeRoute("POST", "/api/v1/users"));
    router_.Add(MakeRoute("GET", "/api/v1/users/{id}"));
    router_.Add(MakeRoute("PATCH", "/api/v1/users/{id}"));
    router_.Add(MakeRoute("POST", "/api/v1/auth/login"));
    router_.Add(MakeRoute("DELETE", "/api/v1/cases/{case_id}/notes/{note_id}"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralAndParameterisedPaths) {
  struct Case {
    const char* method;
    const char* path;
    const char* pattern;  // nullptr: no route
    std::map<std::string, std::string> params;
  };
  const Case cases[] = {
      {"GET", "/", "/", {}},
      {"GET", "/api/v1/users", "/api/v1/users", {}},
      {"POST", "/api/v1/users", "/api/v1/users", {}},
      {"GET", "/api/v1/users/42", "/api/v1/users/{id}", {{"id", "42"}}},
      {"PATCH", "/api/v1/users/abc", "/api/v1/users/{id}", {{"id", "abc"}}},
      {"DELETE",
       "/api/v1/cases/7/notes/9",
       "/api/v1/cases/{case_id}/notes/{note_id}",
       {{"case_id", "7"}, {"note_id", "9"}}},
      {"GET", "/api/v1/users/", nullptr, {}},  // an empty segment is no parameter
      {"GET", "/api/v1/users/42/", nullptr, {}},
      {"GET", "/api/v1/users/42/extra", nullptr, {}},
      {"GET", "/api/v1/user", nullptr, {}},
      {"GET", "/api/v1/userss", nullptr, {}},
      {"GET", "/api/v1", nullptr, {}},
      {"GET", "/API/v1/users", nullptr, {}},
      {"GET", "", nullptr, {}},
      {"GET", "api/v1/users", nullptr, {}},
      {"GET", "//api/v1/users", nullptr, {}},
      {"GET", "/nowhere", nullptr, {}},
  };
  for (const Case& c : cases) {
    const RouteMatch match = router_.Match(c.method, c.path);
    const std::string label = std::string(c.method) + " " + c.path;
    if (!c.pattern) {
      EXPECT_EQ(match.route, nullptr) << label << " matched " << match.route->pattern;
      continue;
    }
    ASSERT_NE(match.route, nullptr) << label;
    EXPECT_EQ(match.route->pattern, c.pattern) << label;
    EXPECT_EQ(match.route->method, c.method) << label;
    EXPECT_EQ(match.path_params, c.params) << label;
    EXPECT_THAT(match.allowed_methods, IsEmpty()) << label;
  }
}

TEST_F(RouterTest, KnownPathWithAnotherMethodListsTheAllowedMethods) {
  const RouteMatch users = router_.Match("DELETE", "/api/v1/users");
  EXPECT_EQ(users.route, nullptr);
  EXPECT_THAT(users.allowed_methods, ElementsAre("GET", "POST"));

  const RouteMatch user = router_.Match("PUT", "/api/v1/users/3");
  EXPECT_EQ(user.route, nullptr);
  EXPECT_THAT(user.allowed_methods, ElementsAre("GET", "PATCH"));

  const RouteMatch login = router_.Match("GET", "/api/v1/auth/login");
  EXPECT_EQ(login.route, nullptr);
  EXPECT_THAT(login.allowed_methods, ElementsAre("POST"));

  // An unknown path is a 404, not a 405.
  EXPECT_THAT(router_.Match("DELETE", "/api/v1/nothing").allowed_methods, IsEmpty());
}

TEST_F(RouterTest, HeadMatchesGet) {
  const RouteMatch head = router_.Match("HEAD", "/api/v1/users/5");
  ASSERT_NE(head.route, nullptr);
  EXPECT_EQ(head.route->method, "GET");
  EXPECT_EQ(head.path_params.at("id"), "5");
  EXPECT_THAT(head.allowed_methods, IsEmpty());

  // Only GET routes answer HEAD.
  const RouteMatch login = router_.Match("HEAD", "/api/v1/auth/login");
  EXPECT_EQ(login.route, nullptr);
  EXPECT_THAT(login.allowed_methods, ElementsAre("POST"));
}

TEST_F(RouterTest, DuplicateRouteThrows) {
  EXPECT_THROW(router_.Add(MakeRoute("GET", "/api/v1/users")), std::logic_error);
  EXPECT_THROW(router_.Add(MakeRoute("PATCH", "/api/v1/users/{id}")), std::logic_error);
  EXPECT_NO_THROW(router_.Add(MakeRoute("DELETE", "/api/v1/users/{id}")));
  EXPECT_EQ(router_.routes().size(), 8u);
}

TEST(IdParamTest, AcceptsOnlyPositive64BitIntegers) {
  struct Case {
    const char* text;
    std::int64_t id;  // 0: refused with kNotFound
  };
  const Case cases[] = {
      {"1", 1},
      {"42", 42},
      {"9223372036854775807", 9223372036854775807},
      {"0", 0},
      {"-1", 0},
      {"-9223372036854775808", 0},
      {"9223372036854775808", 0},  // overflow
      {"99999999999999999999999", 0},
      {"", 0},
      {"abc", 0},
      {"12a", 0},
      {"a12", 0},
      {" 1", 0},
      {"1 ", 0},
      {"+1", 0},
      {"1.0", 0},
      {"1e3", 0},
      {"0x10", 0},
  };
  HttpRequest request;
  for (const Case& c : cases) {
    RequestContext context{request, {{"id", c.text}}, std::nullopt};
    auto id = context.IdParam("id");
    if (c.id == 0) {
      ASSERT_FALSE(id.ok()) << "'" << c.text << "' gave " << *id;
      EXPECT_EQ(id.status().code(), ErrorCode::kNotFound) << c.text;
    } else {
      ASSERT_TRUE(id.ok()) << c.text;
      EXPECT_EQ(*id, c.id);
    }
  }
  RequestContext without{request, {}, std::nullopt};
  EXPECT_EQ(without.IdParam("id").status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace psea::http
