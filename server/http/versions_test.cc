// ETag and If-Match: what every versioned record's PATCH reads (cases, providers, files).
#include "http/versions.h"

#include <gtest/gtest.h>

namespace psea::http {
namespace {

HttpRequest WithIfMatch(std::optional<std::string> value) {
  HttpRequest request;
  if (value) request.headers.emplace("If-Match", *value);
  return request;
}

TEST(VersionsTest, EntityTagIsStrongAndNamesTheVersion) { EXPECT_EQ(EntityTag(7), "\"v7\""); }

TEST(VersionsTest, IfMatchFirstThenTheBody) {
  auto body = ReadExpectedVersion(WithIfMatch(std::nullopt), 4);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body->version, 4);
  EXPECT_FALSE(body->if_match);

  auto header = ReadExpectedVersion(WithIfMatch(" \"v12\" "), std::nullopt);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->version, 12);
  EXPECT_TRUE(header->if_match);

  auto any = ReadExpectedVersion(WithIfMatch("*"), std::nullopt);
  ASSERT_TRUE(any.ok());
  EXPECT_FALSE(any->version);

  // A weak tag never matches (strong comparison): a version no record has.
  auto weak = ReadExpectedVersion(WithIfMatch("W/\"v3\""), std::nullopt);
  ASSERT_TRUE(weak.ok());
  EXPECT_EQ(weak->version, -1);
}

TEST(VersionsTest, RefusalsNameTheirField) {
  auto none = ReadExpectedVersion(WithIfMatch(std::nullopt), std::nullopt);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().field(), "version");
  auto bad = ReadExpectedVersion(WithIfMatch("v3"), std::nullopt);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "If-Match");
  auto differ = ReadExpectedVersion(WithIfMatch("\"v3\""), 4);
  ASSERT_FALSE(differ.ok());
  EXPECT_EQ(differ.status().field(), "version");
}

}  // namespace
}  // namespace psea::http
