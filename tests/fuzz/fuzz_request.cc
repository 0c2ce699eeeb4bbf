// libFuzzer target over the whole request path behind the socket: target parsing, routing,
// authentication, the CSRF and enrolment gates, JSON parsing and validation, and every
// handler, against an in-memory SQLite database. A 5xx answer is a finding.
//
// Input layout (lines): "METHOD TARGET", content type, credential choice ("none", "cookie",
// "cookie+csrf", "bearer"), then the body.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "app/app.h"
#include "core/log.h"
#include "http/pipeline.h"

namespace {

struct Harness {
  std::unique_ptr<psea::app::Application> app;
  std::unique_ptr<psea::accounts::SessionAuthenticator> authenticator;
  std::unique_ptr<psea::http::Pipeline> pipeline;
  psea::http::Metrics metrics;
  std::string cookie;
  std::string csrf;
};

Harness* harness = nullptr;

std::string_view NextLine(std::string_view& rest) {
  const auto newline = rest.find('\n');
  std::string_view line = rest.substr(0, newline);
  rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  psea::log::Init("off");
  psea::Config config;
  config.db_url = "sqlite::memory:";
  char folder[] = "/tmp/psea-fuzz-XXXXXX";
  config.data_dir = mkdtemp(folder);
  config.argon2_profile = "fast";
  config.may_create_database = true;
  config.threads = 1;
  auto app = psea::app::Application::Open(config);
  if (!app.ok()) {
    std::fprintf(stderr, "cannot open: %s\n", app.status().ToString().c_str());
    std::abort();
  }
  harness = new Harness();
  harness->app = std::move(app).value();
  harness->app->RegisterRoutes();
  auto& accounts = harness->app->accounts();
  psea::accounts::NewUser admin{"fuzz.admin", "Fuzz", psea::security::Role::kLeadership,
                                "fuzzing-password-123", false};
  (void)accounts.CreateUser(std::nullopt, admin, {"fuzz", ""});
  auto login = accounts.Login("fuzz.admin", "fuzzing-password-123", std::nullopt, {"fuzz", ""});
  if (login.ok()) {
    harness->cookie = "psea_session=" + login->session_token;
    harness->csrf = login->csrf_token;
  }
  harness->authenticator = std::make_unique<psea::accounts::SessionAuthenticator>(accounts);
  harness->pipeline = std::make_unique<psea::http::Pipeline>(
      harness->app->router(), *harness->authenticator, harness->metrics, nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::string_view request_line = NextLine(rest);
  const std::string_view content_type = NextLine(rest);
  const std::string_view credentials = NextLine(rest);
  const auto space = request_line.find(' ');
  if (space == std::string_view::npos) return 0;

  psea::http::HttpRequest request;
  request.method = std::string(request_line.substr(0, space));
  request.target = std::string(request_line.substr(space + 1));
  if (!psea::http::ParseTarget(request.target, request.path, request.query,
                               &request.repeated_query)) {
    return 0;
  }
  request.headers.emplace("Content-Type", std::string(content_type));
  if (credentials.substr(0, 6) == "cookie") request.headers.emplace("Cookie", harness->cookie);
  if (credentials == "cookie+csrf") request.headers.emplace("X-CSRF-Token", harness->csrf);
  if (credentials == "bearer") request.headers.emplace("Authorization", "Bearer psea_fuzz");
  request.body = std::string(rest);
  request.remote_address = "127.0.0.1";

  psea::http::HttpResponse response = harness->pipeline->Handle(request);
  if (response.status >= 500 && response.status != 503) {
    std::fprintf(stderr, "server error %d for %s %s: %s\n", response.status, request.method.c_str(),
                 request.target.c_str(), response.body.c_str());
    std::abort();
  }
  return 0;
}
