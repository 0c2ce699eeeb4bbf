// The route table against docs/openapi.json: every route the server answers is described,
// with the summary and tag the route declares, and the document describes no route that does
// not exist.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <string>

#include "app/app.h"
#include "security/crypto.h"

namespace psea::app {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    security::InitCrypto();
    data_dir_ = fs::temp_directory_path() / ("psea_openapi_" + security::RandomToken(9));
    Config config;
    config.db_url = "sqlite::memory:";
    config.data_dir = data_dir_.string();
    config.argon2_profile = "fast";
    config.may_create_database = true;
    auto opened = Application::Open(config);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    app_ = std::move(opened).value();
    app_->RegisterRoutes();
    boost::system::error_code error;
    document_ = json::parse(OpenApiDocument(), error);
    ASSERT_FALSE(error) << "docs/openapi.json is not JSON: " << error.message();
    ASSERT_TRUE(document_.is_object());
  }

  void TearDown() override {
    app_.reset();
    std::error_code ignored;
    fs::remove_all(data_dir_, ignored);
  }

  const json::object& Paths() { return document_.at("paths").as_object(); }

  fs::path data_dir_;
  std::unique_ptr<Application> app_;
  json::value document_;
};

TEST_F(OpenApiTest, TheDocumentIsOpenApi303) {
  EXPECT_EQ(document_.at("openapi").as_string(), "3.0.3");
  EXPECT_TRUE(document_.at("info").is_object());
  EXPECT_FALSE(Paths().empty());
}

TEST_F(OpenApiTest, EveryRouteIsDescribed) {
  const auto& routes = app_->router().routes();
  ASSERT_GT(routes.size(), 30u);
  std::set<std::string> operation_ids;
  for (const auto& route : routes) {
    const std::string method = Lower(route->method);
    SCOPED_TRACE(route->method + " " + route->pattern);
    const json::value* item = Paths().if_contains(route->pattern);
    ASSERT_NE(item, nullptr) << "docs/openapi.json has no path " << route->pattern;
    const json::value* operation = item->as_object().if_contains(method);
    ASSERT_NE(operation, nullptr) << "docs/openapi.json has no " << method << " under "
                                  << route->pattern;
    const json::object& op = operation->as_object();
    ASSERT_TRUE(op.contains("operationId"));
    EXPECT_TRUE(operation_ids.insert(std::string(op.at("operationId").as_string())).second)
        << "operationId used twice: " << op.at("operationId").as_string();
    ASSERT_TRUE(op.contains("summary"));
    EXPECT_EQ(op.at("summary").as_string(), route->summary);
    ASSERT_TRUE(op.contains("tags"));
    const auto& tags = op.at("tags").as_array();
    ASSERT_EQ(tags.size(), 1u);
    EXPECT_EQ(tags[0].as_string(), route->tag);
    ASSERT_TRUE(op.contains("responses"));
    EXPECT_FALSE(op.at("responses").as_object().empty());
    // Every path parameter of the pattern is declared, on the path or on the operation.
    for (std::size_t open = route->pattern.find('{'); open != std::string::npos;
         open = route->pattern.find('{', open + 1)) {
      const std::string name =
          route->pattern.substr(open + 1, route->pattern.find('}', open) - open - 1);
      bool declared = false;
      for (const json::object* holder : {&item->as_object(), &op}) {
        const json::value* parameters = holder->if_contains("parameters");
        if (!parameters) continue;
        for (const auto& parameter : parameters->as_array()) {
          const json::object& p = parameter.as_object();
          if (p.contains("$ref")) {
            const std::string ref(p.at("$ref").as_string());
            const std::string component = ref.substr(ref.rfind('/') + 1);
            const auto& shared =
                document_.at("components").at("parameters").at(component).as_object();
            declared = declared || (shared.at("name").as_string() == name &&
                                    shared.at("in").as_string() == "path");
          } else {
            declared = declared || (p.at("name").as_string() == name && p.at("in") == "path");
          }
        }
      }
      EXPECT_TRUE(declared) << "path parameter " << name << " is not declared";
    }
  }
}

// The query parameters a route takes (Route::query, enforced by the pipeline) are the ones the
// document declares for it, no more, no fewer: a client built from the document sends nothing
// the server refuses. Routes with lenient_query (the public pages) are left out.
TEST_F(OpenApiTest, QueryParametersMatchTheRouteTable) {
  for (const auto& route : app_->router().routes()) {
    if (route->lenient_query) continue;
    SCOPED_TRACE(route->method + " " + route->pattern);
    const json::value* item = Paths().if_contains(route->pattern);
    ASSERT_NE(item, nullptr);
    const json::value* operation = item->as_object().if_contains(Lower(route->method));
    ASSERT_NE(operation, nullptr);
    std::set<std::string> documented;
    for (const json::object* holder : {&item->as_object(), &operation->as_object()}) {
      const json::value* parameters = holder->if_contains("parameters");
      if (!parameters) continue;
      for (const auto& parameter : parameters->as_array()) {
        const json::object& p = parameter.as_object();
        if (p.contains("in") && p.at("in").as_string() == "query") {
          documented.insert(std::string(p.at("name").as_string()));
        }
      }
    }
    const std::set<std::string> taken(route->query.begin(), route->query.end());
    EXPECT_EQ(taken, documented);
  }
}

TEST_F(OpenApiTest, TheDocumentDescribesNoOtherRoute) {
  std::set<std::string> served;
  for (const auto& route : app_->router().routes()) {
    served.insert(Lower(route->method) + " " + route->pattern);
  }
  const std::set<std::string> methods = {"get",   "put",  "post",   "delete",
                                         "patch", "head", "options"};
  for (const auto& [path, item] : Paths()) {
    for (const auto& [key, operation] : item.as_object()) {
      if (!methods.count(std::string(key))) continue;
      EXPECT_TRUE(served.count(std::string(key) + " " + std::string(path)))
          << "docs/openapi.json describes " << key << " " << path << ", which no route serves";
    }
  }
}

}  // namespace
}  // namespace psea::app
