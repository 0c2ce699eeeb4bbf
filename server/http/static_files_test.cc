#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace psea::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("psea-static-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(root_ / "assets");
    fs::create_directories(root_ / ".git");
    std::ofstream(root_ / "index.html") << "<!doctype html><title>psea</title>";
    std::ofstream(root_ / "assets" / "app-1a2b.js") << "console.log(1)";
    std::ofstream(root_ / "favicon.ico") << "ico";
    std::ofstream(root_ / ".git" / "HEAD") << "ref: refs/heads/main";
    auto loaded = StaticFiles::Load(root_.string());
    ASSERT_TRUE(loaded.ok());
    files_ = std::move(loaded).value();
  }
  void TearDown() override { fs::remove_all(root_); }

  std::optional<HttpResponse> Get(std::string path) const {
    HttpRequest request;
    request.method = "GET";
    request.path = std::move(path);
    return files_.Serve(request);
  }

  fs::path root_;
  StaticFiles files_;
};

TEST_F(StaticFilesTest, RealFilesAndAppRoutesAreServed) {
  for (const char* path : {"/", "/index.html", "/assets/app-1a2b.js", "/favicon.ico"}) {
    EXPECT_TRUE(Get(path).has_value()) << path;
  }
  // Client-side routes get the app.
  for (const char* path : {"/users", "/intake/queue", "/plans/3/report"}) {
    auto response = Get(path);
    ASSERT_TRUE(response.has_value()) << path;
    EXPECT_NE(response->body.find("<title>psea"), std::string::npos);
  }
}

TEST_F(StaticFilesTest, PathsThatNameFilesOrDotSegmentsAreNotFound) {
  for (const char* path : {"/.git/config", "/.git/HEAD", "/.env", "/x/../y", "/x/./y", "/..",
                           "/foo.php", "/wp-login.php/x", "/assets/gone-9z9z.js", "/index.html.bak",
                           "/.well-known/security.txt", "/api/v1/nothing"}) {
    EXPECT_FALSE(Get(path).has_value()) << path;
  }
}

}  // namespace
}  // namespace psea::http
