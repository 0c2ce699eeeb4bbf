#include "http/wire.h"

#include <gtest/gtest.h>

namespace psea::http {
namespace {

std::string Head(const HttpResponse& response, unsigned version = 11, bool keep_alive = true) {
  std::string out;
  AppendResponseHead(out, response, version, keep_alive, response.body.size());
  return out;
}

TEST(WireTest, WritesStatusSecurityHeadersAndLength) {
  HttpResponse response;
  response.body = "{}";
  response.request_id = "abc123";
  response.SetHeader("Content-Type", "application/json");
  const std::string head = Head(response);
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(head.find("\r\nContent-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Security-Policy: default-src 'self';"), std::string::npos);
  EXPECT_NE(head.find("\r\nX-Content-Type-Options: nosniff\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nCache-Control: no-store\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nX-Request-Id: abc123\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nContent-Length: 2\r\n"), std::string::npos);
  EXPECT_EQ(head.find("Strict-Transport-Security"), std::string::npos);
  EXPECT_EQ(head.find("Connection:"), std::string::npos);
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n");
}

TEST(WireTest, HstsOnlyWhenSecure) {
  HttpResponse response;
  response.secure = true;
  EXPECT_NE(Head(response).find("Strict-Transport-Security: max-age="), std::string::npos);
}

TEST(WireTest, ResponseHeadersOverrideTheDefaults) {
  HttpResponse response;
  response.SetHeader("Cache-Control", "public, max-age=60");
  response.SetHeader("content-security-policy", "default-src 'none'");
  const std::string head = Head(response);
  EXPECT_EQ(head.find("no-store"), std::string::npos);
  EXPECT_NE(head.find("Cache-Control: public, max-age=60\r\n"), std::string::npos);
  EXPECT_NE(head.find("content-security-policy: default-src 'none'\r\n"), std::string::npos);
  EXPECT_EQ(head.find("Content-Security-Policy:"), std::string::npos);
  EXPECT_NE(head.find("\r\nX-Frame-Options: DENY\r\n"), std::string::npos);
}

TEST(WireTest, NoLengthFor204AndConnectionWhenNeeded) {
  HttpResponse response;
  response.status = 204;
  EXPECT_EQ(Head(response).find("Content-Length"), std::string::npos);
  EXPECT_NE(Head(response, 11, false).find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_NE(Head(response, 10, true).find("\r\nConnection: keep-alive\r\n"), std::string::npos);
  EXPECT_EQ(Head(response, 10, true).rfind("HTTP/1.0 204 No Content\r\n", 0), 0u);
}

TEST(WireTest, ValuesCannotStartAHeaderAndFramingIsOurs) {
  HttpResponse response;
  response.body = "abc";
  response.SetHeader("X-Note", "a\r\nSet-Cookie: evil=1");
  response.SetHeader("Content-Length", "99");
  const std::string head = Head(response);
  EXPECT_EQ(head.find("\r\nSet-Cookie"), std::string::npos);
  EXPECT_NE(head.find("X-Note: a  Set-Cookie: evil=1\r\n"), std::string::npos);
  EXPECT_EQ(head.find("99"), std::string::npos);
  EXPECT_NE(head.find("Content-Length: 3\r\n"), std::string::npos);
}

TEST(WireTest, ReasonPhrases) {
  EXPECT_EQ(ReasonPhrase(413), "Content Too Large");
  EXPECT_EQ(ReasonPhrase(429), "Too Many Requests");
  EXPECT_EQ(ReasonPhrase(799), "Unknown");
}

}  // namespace
}  // namespace psea::http
