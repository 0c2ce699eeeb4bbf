#include "http/pipeline.h"

#include <gtest/gtest.h>

namespace psea::http {
namespace {

class NoAuthenticator : public Authenticator {
 public:
  Result<std::optional<security::Principal>> Authenticate(const HttpRequest&) override {
    return std::optional<security::Principal>();
  }
  bool CheckCsrf(const security::Principal&, std::string_view) override { return false; }
};

TEST(PipelineTest, BodyLimitComesFromTheRouteOfTheDecodedPath) {
  Router router;
  Route login;
  login.method = "POST";
  login.pattern = "/api/v1/auth/login";
  login.max_body = 16 * 1024;
  router.Add(login);
  Route item;
  item.method = "POST";
  item.pattern = "/api/v1/items/{id}";
  item.max_body = 1000;
  router.Add(item);
  NoAuthenticator authenticator;
  Metrics metrics;
  Pipeline pipeline(router, authenticator, metrics, nullptr);

  EXPECT_EQ(pipeline.BodyLimit("POST", "/api/v1/auth/login"), 16u * 1024);
  // Encoded, the same route: the same limit, not the 1 MiB default.
  EXPECT_EQ(pipeline.BodyLimit("POST", "/api/v1/auth/%6Cogin"), 16u * 1024);
  EXPECT_EQ(pipeline.BodyLimit("POST", "/api/v1/%61uth/login?x=1"), 16u * 1024);
  EXPECT_EQ(pipeline.BodyLimit("POST", "/api/v1/items/%37"), 1000u);
  EXPECT_EQ(pipeline.BodyLimit("POST", "/api/v1/other"), kDefaultBodyLimit);
  EXPECT_EQ(pipeline.BodyLimit("POST", "/api/v1/auth/%zzogin"),
            Pipeline::kMalformedTargetBodyLimit);
}

}  // namespace
}  // namespace psea::http
