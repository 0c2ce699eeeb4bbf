#include "http/pipeline.h"

#include <gtest/gtest.h>

#include <string>

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

// Knows one token, "psea_good", given in the path.
class PathTokenAuthenticator : public NoAuthenticator {
 public:
  Result<security::Principal> AuthenticateToken(std::string_view secret) override {
    seen = std::string(secret);
    if (secret != "psea_good") return Unauthenticated("unknown token");
    security::Principal principal;
    principal.kind = security::Principal::Kind::kToken;
    principal.token_id = 7;
    return principal;
  }
  std::string seen;
};

TEST(PipelineTest, ATokenInThePathAuthenticatesAndNeitherHandlerNorMetricsSeeIt) {
  Router router;
  Route sms;
  sms.method = "POST";
  sms.pattern = "/api/v1/sms/in/{token}";
  sms.access = Access::kTokenInPath;
  std::size_t params_seen = 99;
  sms.handler = [&](RequestContext& ctx) -> Result<HttpResponse> {
    params_seen = ctx.path_params.size();
    HttpResponse response;
    response.status = 200;
    response.body = std::to_string(ctx.caller().token_id);
    return response;
  };
  router.Add(sms);
  PathTokenAuthenticator authenticator;
  Metrics metrics;
  Pipeline pipeline(router, authenticator, metrics, nullptr);

  HttpRequest good;
  good.method = "POST";
  good.target = good.path = "/api/v1/sms/in/psea_good";
  HttpResponse answer = pipeline.Handle(good);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "7");
  EXPECT_EQ(authenticator.seen, "psea_good");
  EXPECT_EQ(params_seen, 0u);  // the token left the path parameters before the handler

  HttpRequest bad = good;
  bad.target = bad.path = "/api/v1/sms/in/psea_bad";
  EXPECT_EQ(pipeline.Handle(bad).status, 401);
  const std::string exposition = metrics.Render(storage::PoolStats{});
  EXPECT_EQ(exposition.find("psea_good"), std::string::npos);
  EXPECT_EQ(exposition.find("psea_bad"), std::string::npos);
  EXPECT_NE(exposition.find("/api/v1/sms/in/{token}"), std::string::npos);
}

}  // namespace
}  // namespace psea::http
